import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_FILE, renderOpenApiFile } from '../src/http/openapi/write.js';
import { startTestServer, type TestServer } from '../src/testing.js';

describe('OpenAPI document', () => {
  it('is checked in up to date as docs/openapi.json (regenerate: npm run openapi -w @parley/server)', async () => {
    const checkedIn = await readFile(OPENAPI_FILE, 'utf8').catch(() => '');
    expect(
      checkedIn === (await renderOpenApiFile()),
      'docs/openapi.json is stale: run `npm run openapi -w @parley/server`',
    ).toBe(true);
  });

  it('describes every operation with its schemas, resolvable $refs and the error body', async () => {
    const doc = JSON.parse(await renderOpenApiFile());
    expect(doc.openapi).toBe('3.1.0');
    const send = doc.paths['/rooms/{roomId}/messages'].post;
    expect(send.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/SendMessageBody',
    });
    expect(doc.components.schemas.SendMessageBody.properties.type.enum).toEqual(['text', 'ai_share']);
    expect(Object.keys(send.responses).sort()).toEqual(['200', '201', '400', '401', '404', '413', '429', '503']);
    expect(doc.paths['/presence'].put.requestBody).toBeDefined();
    const text = JSON.stringify(doc);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/(\w+)"/g)) {
      expect(doc.components.schemas[name!], name).toBeDefined();
    }
    expect(text).not.toContain('#/$defs/');
  });
});

describe('GET /api/v1/openapi.json and MESSAGING_ENABLED=false', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend: 'pglite', messagingEnabled: false });
  });
  afterAll(() => server?.close());

  it('serves the document without a token, even with messaging disabled', async () => {
    const res = await server.request('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(await renderOpenApiFile()));
  });

  it('answers the messaging API with 503 messaging_disabled', async () => {
    const token = server.mintToken({ sub: 'alice' });
    for (const [method, path] of [
      ['GET', '/api/v1/rooms'],
      ['POST', '/api/v1/rooms/00000000-0000-4000-8000-000000000000/messages'],
      ['GET', '/api/v1/unread'],
    ] as const) {
      const res = await server.request(method, path, { token, body: method === 'POST' ? { content: 'x' } : undefined });
      expect(res.status, path).toBe(503);
      expect(res.body.error.code).toBe('messaging_disabled');
    }
  });
});
