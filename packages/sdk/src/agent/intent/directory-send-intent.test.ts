import { describe, expect, it } from 'vitest';
import { createDirectorySendIntentParser, parseSendIntentWith } from './directory-send-intent.js';
import { readDirectory } from './directory.js';
import { fakeDirectory } from './fake-directory.test-helpers.js';
import { matchRecipient } from './recipient-match.js';
import { SEND_CORPUS, type CorpusCase } from './send-intent.corpus.test-helpers.js';
import type { SendIntent } from './send-intent.js';

/** The intent a corpus case expects; a note's wording is the parser's, only its presence is the case's. */
function expected(row: CorpusCase): unknown {
  if (row.to === null) return { kind: 'not_send' };
  return {
    kind: 'send',
    recipient: { name: row.to, type: row.as ?? expect.any(String) },
    content: row.content,
    ...(row.noted ? { note: expect.any(String) } : {}),
  };
}

function agrees(actual: SendIntent, row: CorpusCase): boolean {
  try {
    expect(actual).toStrictEqual(expected(row));
    return true;
  } catch {
    return false;
  }
}

describe('parseSendIntentWith (a directory of people and rooms)', () => {
  it('gets every phrasing of the corpus right, and says how many', async () => {
    expect(SEND_CORPUS.length).toBeGreaterThanOrEqual(150);
    const wrong: { say: string; got: SendIntent }[] = [];
    for (const row of SEND_CORPUS) {
      const got = await parseSendIntentWith(fakeDirectory, row.say);
      if (!agrees(got, row)) wrong.push({ say: row.say, got });
    }
    const right = SEND_CORPUS.length - wrong.length;
    console.log(
      `send-intent corpus: ${right}/${SEND_CORPUS.length} right (${((100 * right) / SEND_CORPUS.length).toFixed(1)} %)`,
    );
    expect(wrong).toEqual([]);
  });

  it('never guesses: a shared first name or a loose fit still resolves to choices', async () => {
    const directory = await readDirectory(fakeDirectory, ['ann', 'ma', 'ops']);
    const recipientOf = async (text: string) => {
      const intent = await parseSendIntentWith(fakeDirectory, text);
      if (intent.kind !== 'send') throw new Error(`expected a send for ${text}`);
      return intent.recipient;
    };
    const ann = matchRecipient(directory, await recipientOf('tell Ann thanks for the help'));
    expect(ann).toMatchObject({ kind: 'choices', reason: 'ambiguous', name: 'Ann' });
    expect(ann.kind === 'choices' && ann.choices.map((c) => c.id)).toEqual(['ann.lee', 'ann.smith']);
    expect(matchRecipient(directory, await recipientOf('dm Ma hi'))).toMatchObject({
      kind: 'choices',
      choices: [{ id: 'marie' }],
    });
    const ops = matchRecipient(directory, await recipientOf('tell Ops the deploy is done'));
    expect(ops.kind === 'choices' && ops.choices.map((c) => c.type).sort()).toEqual(['room', 'user']);
    expect(matchRecipient(directory, await recipientOf('tell Ann Lee thanks'))).toMatchObject({
      kind: 'matched',
      choice: { id: 'ann.lee' },
    });
  });

  it('finds people typed without their accents among those the user shares a room with', async () => {
    const directory = await readDirectory(fakeDirectory, ['asa']);
    expect(matchRecipient(directory, { name: 'asa berg', type: 'user' })).toMatchObject({
      kind: 'matched',
      choice: { id: 'asa', name: 'Åsa Berg' },
    });
  });

  it('is available behind the pluggable SendIntentParser interface', async () => {
    const parser = createDirectorySendIntentParser(fakeDirectory);
    expect(await parser.parse('tell Ann Lee thanks')).toEqual(
      await parseSendIntentWith(fakeDirectory, 'tell Ann Lee thanks'),
    );
  });
});
