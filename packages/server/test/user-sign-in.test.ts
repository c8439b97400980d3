import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestServer, type TestServer } from '../src/testing.js';

describe.each(availableBackends())('signing users in from their claims on %s', (backend) => {
  let server: TestServer;
  const me = (claims: { name: string; picture?: string | null }) =>
    server.request('GET', '/api/v1/me', { token: server.mintToken({ sub: 'alice', ...claims }) });
  const directoryEntry = async () => {
    const res = await server.request('GET', '/api/v1/users?q=alice', {
      token: server.mintToken({ sub: 'bob', name: 'Bob' }),
    });
    return res.body.users.find((u: { id: string }) => u.id === 'alice');
  };

  /** Runs `fn` and counts the upserts of users it made. */
  async function countingUpserts(fn: () => Promise<unknown>): Promise<number> {
    let upserts = 0;
    const onQuery = (q: { sql: string }) => {
      if (q.sql.startsWith('insert into users') || q.sql.startsWith('select parley_sign_in(')) upserts++;
    };
    server.db.on('query', onQuery);
    try {
      await fn();
      return upserts;
    } finally {
      server.db.off('query', onQuery);
    }
  }

  beforeAll(async () => {
    server = await startTestServer({ backend });
  });
  afterAll(() => server?.close());

  it('writes the claims once, then skips the database while they stay the same', async () => {
    expect(await countingUpserts(() => me({ name: 'Alice' }))).toBe(1);
    expect(
      await countingUpserts(async () => {
        for (let i = 0; i < 3; i++)
          expect((await me({ name: 'Alice' })).body).toEqual({ id: 'alice', name: 'Alice', avatar_url: null });
      }),
    ).toBe(0);
  });

  it('still writes a changed name or picture, and the directory shows it', async () => {
    expect(await countingUpserts(() => me({ name: 'Alice Liddell' }))).toBe(1);
    expect(await directoryEntry()).toEqual({ id: 'alice', name: 'Alice Liddell', avatar_url: null });
    expect(await countingUpserts(() => me({ name: 'Alice Liddell', picture: 'https://example.com/a.png' }))).toBe(1);
    expect(await directoryEntry()).toEqual({
      id: 'alice',
      name: 'Alice Liddell',
      avatar_url: 'https://example.com/a.png',
    });
    // Back to an earlier name: a change from what was last written, so written again.
    expect(await countingUpserts(() => me({ name: 'Alice', picture: 'https://example.com/a.png' }))).toBe(1);
    expect((await directoryEntry()).name).toBe('Alice');
  });
});
