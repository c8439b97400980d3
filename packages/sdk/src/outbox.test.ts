import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

const entry = (id: string) => ({ client_id: id, room_id: 'r1', content: id, type: 'text' as const, metadata: {}, created_at: '2026-01-01T00:00:00Z' });

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
