import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
