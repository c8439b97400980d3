/**
 * A start-up refusal the operator can act on (a port in use, a data directory another process
 * holds): the CLI prints its message as one line, without a stack trace.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}
