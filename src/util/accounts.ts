/**
 * User and group ids by name, looked up through NSS (so LDAP accounts count too)
 * with `id` and `getent`, argv only. Validation runs a lookup synchronously; the
 * supervisor runs the same lookup asynchronously before a spawn.
 */
import { execFileSync } from 'node:child_process';

/** The id; `null` when no such account exists; `undefined` when this system cannot tell. */
export type AccountId = number | null | undefined;

/** A number given as is, or the command that finds it and how to read its output. */
export type AccountLookup = { id: number } | { argv: [string, ...string[]]; parse: (out: string) => number | null };

const numeric = (text: string | undefined): number | null => (text !== undefined && /^\d+$/.test(text) ? Number(text) : null);
const given = (value: string | number): number | null => (typeof value === 'number' ? value : numeric(value));

export function userLookup(user: string | number): AccountLookup {
  const id = given(user);
  return id !== null ? { id } : { argv: ['id', '-u', String(user)], parse: numeric };
}

/** The primary group of `user`. */
export function primaryGroupLookup(user: string | number): AccountLookup {
  return { argv: ['id', '-g', String(user)], parse: numeric };
}

export function groupLookup(group: string | number): AccountLookup {
  const id = given(group);
  return id !== null ? { id } : { argv: ['getent', 'group', String(group)], parse: (out) => numeric(out.split(':')[2]) };
}

/** Runs a lookup now (for validation, which is synchronous). */
export function lookupSync(lookup: AccountLookup): AccountId {
  if ('id' in lookup) return lookup.id;
  const [file, ...args] = lookup.argv;
  try {
    return lookup.parse(execFileSync(file, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch (error) {
    // it ran and said no (exit 1, 2): no such account; it could not run: this system cannot tell
    return typeof (error as { status?: unknown }).status === 'number' ? null : undefined;
  }
}

export const userId = (user: string | number): AccountId => lookupSync(userLookup(user));
export const groupId = (group: string | number): AccountId => lookupSync(groupLookup(group));
