import { afterAll, describe, expect, it } from 'vitest';
import { SEALED_CONTENT_PATTERN } from '../../src/crypto/envelope.js';
import { runKeysCommand } from '../../src/crypto/keys-command.js';
import { listRoomEventsAfter } from '../../src/db/room-events.js';
import { withUser } from '../../src/db/with-user.js';
import { suiteServer } from '../../src/test-support/suite-server.js';
import { availableBackends } from '../../src/testing.js';
import {
  createGroup,
  encryptedWith,
  history,
  newMasterKey,
  send,
  signIn,
  startOnSameData,
  storedContents,
  storedEventText,
  type SecondServer,
} from './helpers.js';

describe.each(availableBackends())('keys encrypt-existing on %s', (backend) => {
  const key = newMasterKey();
  // Encryption off, as before an operator turns it on.
  const suite = suiteServer({ backend }, signIn, 'alice', 'bob');
  let encrypted: SecondServer | undefined;
  afterAll(async () => {
    await encrypted?.close();
  });

  /** Runs the command on the test server's database; `stopAfterBatches` presses Ctrl-C after that many batches. */
  async function encryptExisting(stopAfterBatches?: number) {
    const stop = new AbortController();
    let stdout = '';
    let batches = 0;
    const code = await runKeysCommand(['encrypt-existing', '--batch-size', '3'], {
      env: { MESSAGE_ENCRYPTION_MASTER_KEY: key.toString('base64') },
      db: suite.server.db,
      signal: stop.signal,
      stdout: (t) => (stdout += t),
      stderr: () => {
        if (++batches === stopAfterBatches) stop.abort();
      },
    });
    return { code, stdout };
  }

  const plaintextMessageCount = async () =>
    (
      await suite.server
        .db('chat_messages')
        .whereNotNull('content')
        .andWhereRaw('content !~ ?', [SEALED_CONTENT_PATTERN])
        .count({ n: '*' })
    )[0]!.n as number | string;
  const plaintextEventCount = async () =>
    (
      await suite.server
        .db('room_events')
        .whereRaw(`jsonb_typeof(data->'message'->'content') = 'string'`)
        .andWhereRaw(`(data->'message'->>'content') !~ ?`, [SEALED_CONTENT_PATTERN])
        .count({ n: '*' })
    )[0]!.n as number | string;

  it('seals what was stored in plaintext, in resumable batches, exactly once, and the result reads back', async () => {
    const first = await createGroup(suite.server, suite.tokens.alice!, ['bob']);
    const second = await createGroup(suite.server, suite.tokens.bob!, ['alice']);
    const sent = [];
    for (let i = 1; i <= 4; i++)
      sent.push(await send(suite.server, suite.tokens.alice!, first, `quokka-${i} in the first room`));
    for (let i = 5; i <= 7; i++)
      sent.push(await send(suite.server, suite.tokens.bob!, second, `quokka-${i} in the second room`));
    const edit = await suite.server.request('PATCH', `/api/v1/rooms/${first}/messages/${sent[1]!.id}`, {
      token: suite.tokens.alice!,
      body: { content: 'quokka-2 edited' },
    });
    expect(edit.status).toBe(200);
    const removal = await suite.server.request('DELETE', `/api/v1/rooms/${second}/messages/${sent[6]!.id}`, {
      token: suite.tokens.bob!,
    });
    expect(removal.status).toBe(200);
    const expectedFirst = (await history(suite.server, suite.tokens.bob!, first)).map((m) => m.content);
    const expectedSecond = (await history(suite.server, suite.tokens.alice!, second)).map((m) => m.content);
    expect(expectedFirst).toEqual([
      'quokka-1 in the first room',
      'quokka-2 edited',
      'quokka-3 in the first room',
      'quokka-4 in the first room',
    ]);
    expect(expectedSecond).toEqual(['quokka-5 in the second room', 'quokka-6 in the second room', null]);

    // Six contents (the deleted one is erased already), and the log's copies.
    expect(Number(await plaintextMessageCount())).toBe(6);
    const eventsBefore = Number(await plaintextEventCount());
    expect(eventsBefore).toBeGreaterThanOrEqual(6);

    // Interrupted after the first batch of three: that batch is committed, the rest is not touched.
    const interrupted = await encryptExisting(1);
    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).toContain('Encrypted 3 message(s) and 0 room event(s)');
    expect(interrupted.stdout).toContain('run the same command again');
    expect(Number(await plaintextMessageCount())).toBe(3);
    expect(Number(await plaintextEventCount())).toBe(eventsBefore);

    // Run again: carries on where it stopped.
    const resumed = await encryptExisting();
    expect(resumed).toEqual({ code: 0, stdout: `Encrypted 3 message(s) and ${eventsBefore} room event(s).\n` });
    expect(Number(await plaintextMessageCount())).toBe(0);
    expect(Number(await plaintextEventCount())).toBe(0);
    const sealed = await storedContents(suite.server.db, [first, second]);
    const dump = [...sealed.values()].join('\n') + (await storedEventText(suite.server.db, [first, second]));
    expect(dump).not.toContain('quokka');

    // And again: nothing left to do, nothing sealed twice.
    expect(await encryptExisting()).toEqual({ code: 0, stdout: 'Encrypted 0 message(s) and 0 room event(s).\n' });
    expect(await storedContents(suite.server.db, [first, second])).toEqual(sealed);

    // A server with encryption on reads every message back once-decrypted, and replays the log.
    encrypted = await startOnSameData(suite.server, encryptedWith(key));
    expect((await history(encrypted, suite.tokens.bob!, first)).map((m) => m.content)).toEqual(expectedFirst);
    expect((await history(encrypted, suite.tokens.alice!, second)).map((m) => m.content)).toEqual(expectedSecond);
    const replay = await withUser(encrypted.db, 'alice', (trx) => listRoomEventsAfter(trx, first, 0, 100));
    const replayedContents = replay.flatMap((e) => ('message' in e.data ? [e.data.message.content] : []));
    expect(replayedContents).toEqual([
      'quokka-1 in the first room',
      'quokka-2 in the first room',
      'quokka-3 in the first room',
      'quokka-4 in the first room',
      'quokka-2 edited',
    ]);
  });

  it('refuses to run with a master key other than the recorded one', async () => {
    expect((await encryptExisting()).code).toBe(0); // records `key` if no run has yet
    const wrong = await runKeysCommand(['encrypt-existing'], {
      env: { MESSAGE_ENCRYPTION_MASTER_KEY: newMasterKey().toString('base64') },
      db: suite.server.db,
      stdout: () => {},
      stderr: () => {},
    }).catch((err: Error) => err);
    expect((wrong as Error).message).toMatch(/not the master key this database is encrypted with/);
  });
});
