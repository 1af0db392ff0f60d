export { startControlServer } from './server.js';
export { startPluginServers, type PluginServers } from './plugin-servers.js';
export { ControlClient } from './client.js';
export { EventStream } from './client-events.js';
export { writeStateFile, readStateFile, removeStateFile, type StateFile, type StateChild } from './state-file.js';
export { cleanupStale, describeCleanup, type CleanupReport, type CleanupOptions } from './cleanup.js';
export { clearStarting, markStarting, startingSupervisor } from './starting.js';
export { processStartTime, isSameProcess } from './proc.js';
export { socketLocation, findSocketPath, stateFilePath } from './paths.js';
export { failureMessage } from './failure-message.js';
export { tailFiles, tailStreams } from './log-tail.js';
export {
  DEFAULT_LIMITS,
  MAX_LOG_LINES,
  SIGNALS,
  normalizeSignal,
  type ControlFailure,
  type ControlLimits,
  type ControlServerHandle,
  type ControlServerOptions,
  type ControlSignal,
  type HistoryRecord,
  type InfoResponse,
  type LogLine,
  type SupervisorInfo,
} from './types.js';
