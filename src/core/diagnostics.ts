/**
 * A problem found in a user's config. `path` is the user's path to the value
 * (`tasks[2].restart.backoff`), `message` says what was given and what is allowed.
 */
export interface Diagnostic {
  severity: 'error' | 'warning';
  path: string;
  message: string;
  hint?: string;
}

export const error = (path: string, message: string, hint?: string): Diagnostic =>
  hint === undefined ? { severity: 'error', path, message } : { severity: 'error', path, message, hint };

export const warning = (path: string, message: string, hint?: string): Diagnostic =>
  hint === undefined ? { severity: 'warning', path, message } : { severity: 'warning', path, message, hint };

/** Why a config could not be loaded at all (before validation). */
export type LoadFailure =
  | { reason: 'not-found'; searchedFrom: string; names: readonly string[] }
  | { reason: 'missing-file'; file: string }
  /** `-c` named a folder that holds none of `names`. */
  | { reason: 'folder-without-config'; file: string; names: readonly string[] }
  /** The file's extension is none of `names`'. */
  | { reason: 'unsupported-format'; file: string; extension: string; names: readonly string[] }
  /** The config itself imports a package that does not resolve from its folder. */
  | { reason: 'missing-package'; file: string; package: string }
  /**
   * The event loop emptied while the config's import (or the promise of its default export)
   * was pending; or, with `withinMs`, it was still pending after that long.
   */
  | { reason: 'unsettled'; file: string; waitingFor: 'import' | 'default-export'; withinMs?: number }
  | {
      reason: 'syntax';
      file: string;
      message: string;
      detail?: string;
      /** Where the parser stopped (maybe in a module the config imports); column is 1-based. */
      location?: { file: string; line: number; column: number; lineText?: string };
    }
  | { reason: 'threw'; file: string; message: string; stack?: string }
  | { reason: 'no-export'; file: string; exported: string[] }
  /** `stateDir`: where the config puts its state, when it says so plainly though other fields are wrong (a running stack stays reachable). */
  | { reason: 'invalid'; file: string; diagnostics: Diagnostic[]; stateDir?: string };
