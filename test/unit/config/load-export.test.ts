import { describe, expect, it } from 'vitest';
import { exportedConfig } from '../../../src/config/load.js';

describe('exportedConfig', () => {
  const config = { tasks: [] };

  it('takes the default export', () => {
    expect(exportedConfig({ default: config })).toEqual({ value: config });
  });

  it('unwraps a default export wrapped by CommonJS interop', () => {
    expect(exportedConfig({ default: { default: config } })).toEqual({ value: config });
    const transpiled = Object.defineProperty({ default: config }, '__esModule', { value: true });
    expect(exportedConfig({ default: transpiled })).toEqual({ value: config });
  });

  it('keeps a function default export for the loader to call', () => {
    const fn = (): typeof config => config;
    expect(exportedConfig({ default: fn })).toEqual({ value: fn });
  });

  it('lists what the module exports when there is no default', () => {
    expect(exportedConfig({ tasks: [], port: 1 })).toEqual({ exported: ['tasks', 'port'] });
    const transpiled = Object.defineProperty({ config }, '__esModule', { value: true });
    expect(exportedConfig({ default: transpiled, config })).toEqual({ exported: ['config'] });
  });
});
