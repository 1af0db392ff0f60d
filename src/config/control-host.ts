/**
 * The control API's HTTP listener beyond this machine needs a token the user chose.
 * control/tcp-auth.ts makes the same check when the listener starts (for stacks built
 * without validation); config/ may not import control/, so the rule lives here.
 */
import { error, type Diagnostic } from '../core/diagnostics.js';
import type { ControlSpec } from '../core/model.js';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The error for a non-loopback host without an explicit token; nothing otherwise. */
export function insecureHttpHost(control: ControlSpec, out: Diagnostic[]): void {
  const http = control.http;
  if (http === undefined || isLoopback(http.host) || http.token !== undefined) return;
  out.push(error('control.http.host', `${http.host} is not a loopback address: set control.http.token explicitly to expose the control API beyond this machine`));
}
