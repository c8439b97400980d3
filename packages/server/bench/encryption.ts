/**
 * What at-rest encryption costs per message (issue 6): seal + open of one
 * message's content with AES-256-GCM, for typical sizes, and the one-off cost
 * of unwrapping a room key (a cache miss). Pure CPU: no database.
 *
 *   cd packages/server && npx tsx bench/encryption.ts
 */
import { randomUUID } from 'node:crypto';
import * as envelope from '../src/crypto/envelope.js';

const SIZES: [label: string, chars: number][] = [
  ['short chat line (40 chars)', 40],
  ['paragraph (400 chars)', 400],
  ['long message (2,000 chars)', 2_000],
  ['maximum (10,000 chars)', 10_000],
];

function measure(iterations: number, fn: () => void): number {
  for (let i = 0; i < Math.min(1_000, iterations); i++) fn(); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1_000 / iterations; // µs per call
}

const dataKey = envelope.generateKey();
const context = { roomId: randomUUID(), messageId: randomUUID(), keyVersion: 1 };
const rows: string[] = [];

console.log(`Node ${process.version}, ${process.arch}; µs per message (mean)\n`);
for (const [label, chars] of SIZES) {
  // Mixed ASCII and multi-byte text, as chat content is.
  const text = 'Grüße, hello 👋 '.repeat(Math.ceil(chars / 16)).slice(0, chars);
  const sealed = envelope.sealContent(dataKey, context, text);
  const iterations = chars > 5_000 ? 20_000 : 100_000;
  const seal = measure(iterations, () => envelope.sealContent(dataKey, context, text));
  // Open as a read does: parse the stored string, then decrypt and authenticate.
  const open = measure(iterations, () => envelope.openContent(dataKey, context, envelope.parseSealedContent(sealed)!));
  const stored = Buffer.byteLength(sealed);
  rows.push(
    `${label.padEnd(28)} seal ${seal.toFixed(2).padStart(6)}  open ${open.toFixed(2).padStart(6)}  ` +
      `seal+open ${(seal + open).toFixed(2).padStart(6)}  stored ${stored} B (plaintext ${Buffer.byteLength(text)} B)`,
  );
}
console.log(rows.join('\n'));

const master = envelope.generateKey();
const keyContext = { roomId: context.roomId, keyVersion: 1, masterKeyVersion: 1 };
const wrapped = envelope.wrapKey(master, keyContext, dataKey);
const unwrap = measure(100_000, () => envelope.unwrapKey(master, keyContext, wrapped));
console.log(`\nroom key unwrap (once per room per server, then cached): ${unwrap.toFixed(2)} µs`);
