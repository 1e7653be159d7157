/**
 * Exit codes of the API commands, for scripts (docs/cli.md#exit-codes). `validate` and `plan` keep
 * their own documented 0/1/2.
 */
export const EXIT = {
  /** Done; for `run --watch` and `watch`, the run succeeded. */
  ok: 0,
  /** Refused or failed: a 4xx/5xx answer, the app unreachable, a local file unreadable. */
  failed: 1,
  /** Usage: an unknown flag, a missing argument, a bad value; nothing was sent. */
  usage: 2,
  /** The watched run ended, but not in `succeeded` (failed, cancelled, terminated). */
  runNotSucceeded: 3,
  /** `import`: plans written, but something needs a person (script actions left out). */
  needsAttention: 4,
} as const;
