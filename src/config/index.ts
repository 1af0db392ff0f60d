/** User config in, validated `StackSpec` out. */
export { validateConfig } from './validate.js';
export { findConfigFile, loadConfig, CONFIG_NAMES, type LoadOptions } from './load.js';
export { DEFAULTS } from './normalize.js';
