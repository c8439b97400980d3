import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer, type TestServerOverrides } from '../testing.js';

/** A describe block's test server and its signed-in users' tokens, both set in the block's beforeAll. */
export interface SuiteServer {
  server: TestServer;
  tokens: Record<string, string>;
}

/**
 * The test server of the describe block that calls this: started in beforeAll with `users` signed in
 * by `signIn`, closed in afterAll, after the block's own later after-hooks (vitest runs them last
 * first), so those can still close sockets or second servers on it.
 */
export function suiteServer(
  overrides: TestServerOverrides,
  signIn: (server: TestServer, ...users: string[]) => Promise<Record<string, string>>,
  ...users: string[]
): SuiteServer {
  const suite = { tokens: {} } as SuiteServer;
  beforeAll(async () => {
    suite.server = await startTestServer(overrides);
    suite.tokens = await signIn(suite.server, ...users);
  });
  afterAll(async () => {
    await suite.server?.close();
  });
  return suite;
}
