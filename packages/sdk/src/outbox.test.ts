import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';
import { memoryOutboxStorage } from './outbox-storage.js';

const entry = (id: string) => ({
  client_id: id,
  room_id: 'r1',
  content: id,
  type: 'text' as const,
  metadata: {},
  created_at: '2026-01-01T00:00:00Z',
});

describe('Outbox', () => {
  it('hands out queued entries in the order they were added, once', () => {
    const outbox = new Outbox();
    outbox.add(entry('a'));
    outbox.add(entry('b'));
    outbox.add(entry('c'));
    expect(outbox.takeQueued().map((e) => e.client_id)).toEqual(['a', 'b', 'c']);
    expect(outbox.takeQueued()).toEqual([]);
  });

  it('requeues in-flight entries after a drop, keeping order and client ids', () => {
    const outbox = new Outbox();
    outbox.add(entry('a'));
    outbox.add(entry('b'));
    outbox.takeQueued();
    outbox.add(entry('c'));
    outbox.remove('a'); // acknowledged before the drop
    outbox.requeueInflight();
    expect(outbox.takeQueued().map((e) => e.client_id)).toEqual(['b', 'c']);
    expect(outbox.size).toBe(2);
  });

  it('forgets an acknowledged entry', () => {
    const outbox = new Outbox();
    outbox.add(entry('a'));
    expect(outbox.remove('a')?.client_id).toBe('a');
    expect(outbox.get('a')).toBeUndefined();
    expect(outbox.size).toBe(0);
  });
});

describe('Outbox with storage', () => {
  it('persists adds and removals, and a new outbox restores what was left, in order', async () => {
    const storage = memoryOutboxStorage();
    const first = new Outbox();
    first.add(entry('a'));
    expect(await first.attach(storage)).toEqual([]);
    first.add(entry('b'));
    first.add(entry('c'));
    first.takeQueued();
    first.remove('b'); // acknowledged
    await Promise.resolve();

    const reloaded = new Outbox();
    const restored = await reloaded.attach(storage);
    expect(restored.map((e) => [e.client_id, e.state])).toEqual([
      ['a', 'queued'],
      ['c', 'queued'],
    ]);
    expect(reloaded.takeQueued().map((e) => e.client_id)).toEqual(['a', 'c']);
  });

  it('keeps working in memory when the storage fails', async () => {
    const errors: unknown[] = [];
    const outbox = new Outbox();
    outbox.onStorageError = (error) => errors.push(error);
    const broken = {
      load: async () => Promise.reject(new Error('quota')),
      put: async () => Promise.reject(new Error('quota')),
      delete: async () => undefined,
    };
    await outbox.attach(broken);
    outbox.add(entry('a'));
    await new Promise((r) => setTimeout(r, 0));
    expect(outbox.takeQueued().map((e) => e.client_id)).toEqual(['a']);
    expect(errors.length).toBe(2);
  });

  it('puts one refused entry back in its place', () => {
    const outbox = new Outbox();
    outbox.add(entry('a'));
    outbox.add(entry('b'));
    outbox.takeQueued();
    outbox.requeue('a');
    expect(outbox.takeQueued().map((e) => e.client_id)).toEqual(['a']);
  });

  it('keeps a failed entry out of the queue, out of the count and through a drop, and restores it failed', async () => {
    const storage = memoryOutboxStorage();
    const outbox = new Outbox();
    await outbox.attach(storage);
    outbox.add(entry('a'));
    outbox.add(entry('b'));
    outbox.takeQueued();
    outbox.fail('a', { code: 'validation_failed', message: 'content: too long' });
    outbox.requeueInflight();
    expect(outbox.takeQueued().map((e) => e.client_id)).toEqual(['b']);
    expect(outbox.size).toBe(1);
    const restored = await new Outbox().attach(storage);
    expect(restored.map((e) => [e.client_id, e.state, e.error?.code])).toEqual([
      ['a', 'failed', 'validation_failed'],
      ['b', 'queued', undefined],
    ]);
  });
});
