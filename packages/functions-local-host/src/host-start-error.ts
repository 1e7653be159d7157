/**
 * A reason the host cannot start (bad app layout, a file that fails to load, a bad setting).
 * The CLI prints only its message: it names the file or field and the rule, never a stack trace.
 */
export class HostStartError extends Error {
  override name = 'HostStartError';
}
