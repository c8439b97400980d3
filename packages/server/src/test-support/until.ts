/**
 * Waits until `predicate` holds, polling every `pollMs`; fails naming `what`
 * after `timeoutMs`. The one wait of the Node test suites (server and SDK):
 * tests wait on an observable condition, never on a fixed sleep.
 */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
  pollMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
