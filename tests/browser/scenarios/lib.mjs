// Shared by run.mjs and the scenarios: a failed check is a Failure, reported
// by its message alone (no stack: the message says what was expected).
export class Failure extends Error {}

// A scenario that cannot run here (not one whose feature is missing: that
// fails) throws Skip with the reason; run.mjs counts it as skipped.
export class Skip extends Error {}

export function check(cond, message) {
  if (!cond)
    throw new Failure(message);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A value unique to this run, for names and titles that must not collide.
export function unique(prefix) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}
