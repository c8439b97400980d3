import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Message, Room, User } from '@parley/sdk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/demo.js';
import { startTestServer, type TestServer } from '../src/testing.js';

describe('HTTP surface outside the API (demo off)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend: 'pglite', allowedOrigins: ['https://host.example'] });
  });
  afterAll(() => server?.close());

  it('GET /healthz and /readyz answer ok', async () => {
    expect(await server.request('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await server.request('GET', '/readyz')).toMatchObject({
      status: 200,
      body: { status: 'ok', checks: { database: true, bus: true } },
    });
  });

  it('GET /widget.js serves the bundle as JavaScript, or 503 unavailable until it is built', async () => {
    const res = await server.request('GET', '/widget.js');
    if (res.status === 200) {
      expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
      expect(res.headers.get('cache-control')).toContain('max-age');
      const etag = res.headers.get('etag')!;
      const again = await fetch(`${server.url}/widget.js`, {
        // Explicit, else fetch adds `Cache-Control: no-cache` to conditional requests.
        headers: { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' },
      });
      expect(again.status).toBe(304);
    } else {
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
    }
  });

  it('GET /widget.js is brotli or gzip for a browser that takes it, the same bytes once decoded', async () => {
    const raw = (acceptEncoding: string) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer; status: number }>((resolve, reject) => {
        http
          .get(`${server.url}/widget.js`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({ headers: res.headers, body: Buffer.concat(chunks), status: res.statusCode! }),
            );
          })
          .on('error', reject);
      });
    const plain = await raw('identity');
    if (plain.status !== 200) return; // not built: the test above checks the 503
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await raw('gzip, deflate, br');
    const gz = await raw('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    for (const res of [plain, br, gz]) expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    // Each representation has its own ETag, so a cache never answers one encoding with another's.
    expect(new Set([plain, br, gz].map((res) => res.headers['etag'])).size).toBe(3);
  });

  it('answers demo routes with 404 when demo mode is off', async () => {
    for (const path of ['/', '/demo/token?as=alice', '/demo.css']) {
      const res = await server.request('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const token = server.mintToken({ sub: 'alice' });
    const res = await server.request('GET', '/api/v1/nope', { token });
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('answers malformed JSON bodies with 400 bad_request', async () => {
    const res = await fetch(`${server.url}/api/v1/rooms`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.mintToken({ sub: 'alice' })}`, 'Content-Type': 'application/json' },
      body: '{"type":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });

  it('allows CORS only for configured origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/v1/rooms`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization',
        },
      });
    const allowed = await preflight('https://host.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://host.example');
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('demo mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend: 'pglite', demo: true });
  });
  afterAll(() => server?.close());

  it('serves the host page with the chosen demo user and a strict CSP', async () => {
    const res = await fetch(`${server.url}/?as=bob`);
    const html = await res.text();
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toContain('<script src="/widget.js" data-token-url="/demo/token?as=bob" defer></script>');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/style=|<style/);
    expect((await fetch(`${server.url}/?as=mallory`)).status).toBe(400);
    expect((await fetch(`${server.url}/demo.css`)).headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('hands out working tokens for the seeded users, who share the demo room', async () => {
    const res = await server.request('GET', '/demo/token?as=carol');
    expect(res.body.user).toEqual({ id: 'carol', name: 'Carol' });
    const rooms = await server.request('GET', '/api/v1/rooms', { token: res.body.token });
    expect(rooms.status).toBe(200);
    const demo = rooms.body.rooms.find((r: { name: string }) => r.name === 'Demo team');
    expect(demo.participants.map((p: { id: string }) => p.id).sort()).toEqual(['alice', 'bob', 'carol']);
    const users = await server.request('GET', '/api/v1/users?q=b', { token: res.body.token });
    expect(users.body.users.map((u: { id: string }) => u.id)).toEqual(['bob']);
  });

  it('says who the visitor is, with links to be the others, and has a favicon', async () => {
    const html = await (await fetch(`${server.url}/?as=bob`)).text();
    expect(html).toContain(
      '<p class="who-am-i">You are <strong>Bob</strong> — switch to <a href="/?as=alice">Alice</a> · <a href="/?as=carol">Carol</a></p>',
    );
    expect(html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml" />');
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
  });

  it('seeds a group with history, reactions and a shared AI answer, and two direct rooms, once', async () => {
    const alice = (await server.request('GET', '/demo/token?as=alice')).body.token;
    const rooms = (await server.request('GET', '/api/v1/rooms', { token: alice })).body.rooms as Room[];
    expect(rooms.map((r) => [r.type, r.display_name, r.last_message?.content])).toEqual([
      ['group', 'Demo team', "Great, let's do it at 3 pm 🎉"],
      ['direct', 'Carol', 'Sending the release notes in a minute'],
      ['direct', 'Bob', 'Lunch at 12?'],
    ]);
    const team = rooms[0]!;
    // Newest first, as the API pages them: reversed into the order they were said.
    const history = (
      (await server.request('GET', `/api/v1/rooms/${team.id}/messages`, { token: alice })).body.messages as Message[]
    ).reverse();
    expect(history.filter((m) => m.type !== 'system').map((m) => m.sender_id)).toEqual([
      'bob',
      'bob',
      'carol',
      'alice',
      'carol',
      'alice',
    ]);
    expect(history.find((m) => m.type === 'ai_share')).toMatchObject({
      sender_id: 'carol',
      metadata: { source_title: 'Release assistant' },
    });
    expect(history.find((m) => m.sender_id === 'bob')?.reactions).toEqual([
      expect.objectContaining({ emoji: '👍', count: 2 }),
    ]);
    // Everyone has read it (Alice's last message is seen by both others); Bob's direct message waits, unread.
    const last = history.at(-1)!.seq;
    expect(team.participants.map((p) => p.last_read_seq)).toEqual([last, last, last]);
    expect(rooms.map((r) => r.unread_count)).toEqual([0, 0, 1]);
    // A restart seeds nothing more: the history is the visitors' own by then.
    await seedDemo(server.db, server.services);
    const again = (await server.request('GET', '/api/v1/rooms', { token: alice })).body.rooms as Room[];
    expect(again.map((r) => [r.id, r.last_seq])).toEqual(rooms.map((r) => [r.id, r.last_seq]));
  });

  it("gives the demo people avatars on the page's own origin, and only for a loopback or allowed one", async () => {
    const carol = (await server.request('GET', '/demo/token?as=carol')).body.token;
    const search = async (q: string) =>
      ((await server.request('GET', `/api/v1/users?q=${q}`, { token: carol })).body.users as User[])[0]?.avatar_url;
    expect([await search('alice'), await search('bob')]).toEqual([
      `${server.url}/demo/avatars/alice.svg`,
      `${server.url}/demo/avatars/bob.svg`,
    ]);
    const avatar = await fetch(`${server.url}/demo/avatars/bob.svg`);
    expect([avatar.status, avatar.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
    expect(await avatar.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect((await fetch(`${server.url}/demo/avatars/mallory.svg`)).status).toBe(400);
    // A forged Host header writes no one's avatar for everyone to load.
    const forged = await new Promise<number>((resolve, reject) => {
      http
        .get(`${server.url}/demo/token?as=bob`, { headers: { host: 'tracker.example' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(forged).toBe(200);
    expect(await search('alice')).toBe(`${server.url}/demo/avatars/alice.svg`);
  });
});
