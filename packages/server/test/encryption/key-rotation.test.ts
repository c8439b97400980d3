import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { runKeysCommand, type KeysCommandIo } from '../../src/crypto/keys-command.js';
import { openMessageEncryption } from '../../src/crypto/message-encryption.js';
import { suiteServer } from '../../src/test-support/suite-server.js';
import { availableBackends, type TestServer } from '../../src/testing.js';
import {
  createGroup,
  encryptedWith,
  history,
  newMasterKey,
  send,
  signIn,
  startOnSameData,
  type SecondServer,
} from './helpers.js';

/** Runs `parley keys …` against a server's database, capturing its output. */
async function keysCommand(args: string[], env: Record<string, string>, db: TestServer['db']) {
  let stdout = '';
  let stderr = '';
  const io: KeysCommandIo = { env, db, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const code = await runKeysCommand(args, io);
  return { code, stdout, stderr };
}

describe.each(availableBackends())('master key check and rotation on %s', (backend) => {
  const keyA = newMasterKey();
  const keyB = newMasterKey();
  const suite = suiteServer({ backend, ...encryptedWith(keyA) }, signIn, 'alice', 'bob');
  const others: SecondServer[] = [];
  afterAll(async () => {
    for (const s of others) await s.close();
  });

  it('refuses to start with a master key other than the one the database is encrypted with', async () => {
    const room = await createGroup(suite.server, suite.tokens.alice!, ['bob']);
    await send(suite.server, suite.tokens.alice!, room, 'sealed under key A');
    await expect(startOnSameData(suite.server, encryptedWith(newMasterKey()))).rejects.toThrow(
      /not the master key this database is encrypted with/,
    );
    // The same start-up check, without another server boot: encryption off
    // but a wrong key given (to read old messages) is refused as well.
    await expect(
      openMessageEncryption(
        suite.server.db,
        { encryptionAtRest: false, encryptionMasterKey: newMasterKey() },
        suite.server.logger,
      ),
    ).rejects.toThrow(/key check failed/);
    // No key at all while the database holds encrypted messages: starts (they answer as unreadable).
    const keyless = await openMessageEncryption(
      suite.server.db,
      { encryptionAtRest: false, encryptionMasterKey: null },
      suite.server.logger,
    );
    expect(keyless.sealing).toBe(false);
  });

  it('rotates to a new master key: old and new messages stay readable, and only the new key starts a server', async () => {
    const room = await createGroup(suite.server, suite.tokens.alice!, ['bob']);
    const old = await send(suite.server, suite.tokens.alice!, room, 'written before the rotation');
    const secondRoom = await createGroup(suite.server, suite.tokens.bob!, ['alice']);
    await send(suite.server, suite.tokens.bob!, secondRoom, 'another room, before the rotation');
    const wrappedBefore = await suite.server
      .db('room_encryption_keys')
      .orderBy('room_id')
      .select('room_id', 'wrapped_key');
    const storedBefore = await suite.server.db('chat_messages').where({ id: old.id }).first('content');

    const env = {
      MESSAGE_ENCRYPTION_MASTER_KEY_OLD: keyA.toString('base64'),
      MESSAGE_ENCRYPTION_MASTER_KEY: keyB.toString('base64'),
    };
    const rotated = await keysCommand(['rotate'], env, suite.server.db);
    expect(rotated.stderr).toBe(`re-wrapped ${wrappedBefore.length} room keys…\n`);
    expect(rotated).toMatchObject({ code: 0, stdout: expect.stringContaining('from version 1 to 2') });

    // Every room key was re-wrapped; the messages were not touched.
    const wrappedAfter = await suite.server
      .db('room_encryption_keys')
      .orderBy('room_id')
      .select('room_id', 'wrapped_key', 'master_key_version');
    expect(wrappedAfter.map((r) => r.room_id)).toEqual(wrappedBefore.map((r) => r.room_id));
    wrappedAfter.forEach((r, i) => {
      expect(r.master_key_version).toBe(2);
      expect(r.wrapped_key).not.toBe(wrappedBefore[i]!.wrapped_key);
    });
    expect(await suite.server.db('chat_messages').where({ id: old.id }).first('content')).toEqual(storedBefore);

    // Running the same rotation again changes nothing and says so.
    const again = await keysCommand(['rotate'], env, suite.server.db);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('re-wrapped 0 leftover') });

    await expect(
      openMessageEncryption(
        suite.server.db,
        { encryptionAtRest: true, encryptionMasterKey: keyA },
        suite.server.logger,
      ),
    ).rejects.toThrow(/not the master key/);
    // The server still running with key A may not wrap a new room's key under it: it fails closed.
    const lateRoom = await createGroup(suite.server, suite.tokens.alice!, ['bob']);
    const refused = await suite.server.request('POST', `/api/v1/rooms/${lateRoom}/messages`, {
      token: suite.tokens.alice!,
      body: { content: 'too late' },
    });
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(await suite.server.db('chat_messages').where({ room_id: lateRoom }).select('id')).toEqual([]);
    const next = await startOnSameData(suite.server, encryptedWith(keyB));
    others.push(next);
    await send(next, suite.tokens.alice!, room, 'written after the rotation');
    const newRoom = await createGroup(next, suite.tokens.alice!, ['bob']);
    await send(next, suite.tokens.bob!, newRoom, 'a room made after the rotation');

    expect((await history(next, suite.tokens.bob!, room)).map((m) => m.content)).toEqual([
      'written before the rotation',
      'written after the rotation',
    ]);
    expect((await history(next, suite.tokens.alice!, secondRoom)).map((m) => m.content)).toEqual([
      'another room, before the rotation',
    ]);
    expect((await history(next, suite.tokens.alice!, newRoom)).map((m) => m.content)).toEqual([
      'a room made after the rotation',
    ]);
    expect(await next.db('room_encryption_keys').where({ room_id: newRoom }).first('master_key_version')).toEqual({
      master_key_version: 2,
    });
  });

  it('refuses a rotation whose old key is wrong, and changes nothing', async () => {
    const before = await suite.server.db('room_encryption_keys').orderBy('room_id').select('wrapped_key');
    const wrong = await keysCommand(
      ['rotate'],
      {
        MESSAGE_ENCRYPTION_MASTER_KEY_OLD: newMasterKey().toString('base64'),
        MESSAGE_ENCRYPTION_MASTER_KEY: newMasterKey().toString('base64'),
      },
      suite.server.db,
    ).catch((err: Error) => err);
    expect(wrong).toBeInstanceOf(ConfigError);
    expect((wrong as Error).message).toMatch(/MESSAGE_ENCRYPTION_MASTER_KEY_OLD is not the master key/);
    expect(await suite.server.db('room_encryption_keys').orderBy('room_id').select('wrapped_key')).toEqual(before);

    const missing = await keysCommand(
      ['rotate'],
      { MESSAGE_ENCRYPTION_MASTER_KEY: keyB.toString('base64') },
      suite.server.db,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/MESSAGE_ENCRYPTION_MASTER_KEY_OLD is not set/);
  });
});

describe('encryption configuration', () => {
  const base = { PARLEY_JWT_SECRET: 'x'.repeat(32) };

  it('is off by default and refuses to turn on without a well-formed 32-byte key', () => {
    expect(loadConfig(base)).toMatchObject({ encryptionAtRest: false, encryptionMasterKey: null });
    expect(() => loadConfig({ ...base, MESSAGE_ENCRYPTION_AT_REST: 'true' })).toThrow(
      /needs MESSAGE_ENCRYPTION_MASTER_KEY/,
    );
    const short = Buffer.alloc(31, 1).toString('base64');
    expect(() =>
      loadConfig({ ...base, MESSAGE_ENCRYPTION_AT_REST: 'true', MESSAGE_ENCRYPTION_MASTER_KEY: short }),
    ).toThrow(/MESSAGE_ENCRYPTION_MASTER_KEY must be 32 random bytes/);
    expect(() =>
      loadConfig({ ...base, MESSAGE_ENCRYPTION_AT_REST: 'true', MESSAGE_ENCRYPTION_MASTER_KEY: 'not base64!' }),
    ).toThrow(ConfigError);
    const key = newMasterKey();
    expect(
      loadConfig({
        ...base,
        MESSAGE_ENCRYPTION_AT_REST: 'true',
        MESSAGE_ENCRYPTION_MASTER_KEY: key.toString('base64'),
      }),
    ).toMatchObject({
      encryptionAtRest: true,
      encryptionMasterKey: key,
    });
  });

  it('warns when the rotation-only old key is left in the server environment', () => {
    const warnings: string[] = [];
    loadConfig({ ...base, MESSAGE_ENCRYPTION_MASTER_KEY_OLD: newMasterKey().toString('base64') }, warnings);
    expect(warnings).toEqual([expect.stringMatching(/only read by `parley keys rotate`/)]);
  });

  it('`parley keys generate` prints a fresh key the server accepts', async () => {
    const outputs: string[] = [];
    for (let i = 0; i < 2; i++) {
      let stdout = '';
      const code = await runKeysCommand(['generate'], { env: {}, stdout: (t) => (stdout += t), stderr: () => {} });
      expect(code).toBe(0);
      outputs.push(stdout.trim());
    }
    expect(outputs[0]).not.toBe(outputs[1]);
    for (const key of outputs) {
      expect(
        loadConfig({ ...base, MESSAGE_ENCRYPTION_AT_REST: '1', MESSAGE_ENCRYPTION_MASTER_KEY: key })
          .encryptionMasterKey,
      ).toHaveLength(32);
    }
  });
});
