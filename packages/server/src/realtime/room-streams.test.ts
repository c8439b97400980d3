import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '@parley/sdk/protocol';
import { until } from '../test-support/until.js';
import { RoomStreams, type RoomStreamsHost, type RoomStreamsSettings } from './room-streams.js';

const ROOM = 'room-1';

function event(seq: number, room = ROOM): RoomEvent {
  return {
    room_id: room,
    seq,
    kind: 'room.updated',
    data: { room: { id: room, name: `n${seq}`, type: 'group' } },
    at: '2026-01-01T00:00:00.000Z',
  };
}

/** A stream over a fake log holding seqs 1..logSize; records what reaches the socket. */
function harness(options: Partial<RoomStreamsHost & RoomStreamsSettings> & { logSize?: number } = {}) {
  const written: number[] = [];
  const resyncs: string[] = [];
  const fetches: Array<[number, number]> = [];
  let overflowed = false;
  const logSize = options.logSize ?? 1000;
  const host: RoomStreamsHost = {
    fetchRoomEvents: async (room, after, limit) => {
      fetches.push([after, limit]);
      const out: RoomEvent[] = [];
      for (let s = after + 1; s <= Math.min(logSize, after + limit); s++) out.push(event(s, room));
      return out;
    },
    roomStart: async () => 0,
    writeEvent: (text) => written.push((JSON.parse(text.toString()) as { seq: number }).seq),
    resyncRoom: (room) => resyncs.push(room),
    heldOverflow: () => {
      overflowed = true;
    },
    isOwnLeave: () => false,
    streamFailed: (err) => {
      throw err;
    },
    ...options,
  };
  const streams = new RoomStreams(host, {
    gapWaitMs: options.gapWaitMs ?? 5,
    maxPendingEvents: options.maxPendingEvents ?? 100,
  });
  return { streams, written, resyncs, fetches, overflowed: () => overflowed };
}

describe('RoomStreams', () => {
  it('sends events in seq order when the bus delivers them out of order', () => {
    const { streams, written, fetches } = harness();
    streams.setCursor(ROOM, 0);
    for (const seq of [2, 3, 1, 5, 4]) streams.push(event(seq));
    expect(written).toEqual([1, 2, 3, 4, 5]);
    expect(fetches).toEqual([]);
  });

  it('drops events at or below what was already sent', () => {
    const { streams, written } = harness();
    streams.setCursor(ROOM, 3);
    for (const seq of [2, 3, 4, 4, 5]) streams.push(event(seq));
    expect(written).toEqual([4, 5]);
  });

  it('reads a gap that does not fill itself from the log, then continues in order', async () => {
    const { streams, written, fetches } = harness();
    streams.setCursor(ROOM, 10);
    streams.push(event(14));
    streams.push(event(15));
    expect(written).toEqual([]);
    await until(() => written.length === 5, 'five events written', 2_000, 2);
    expect(written).toEqual([11, 12, 13, 14, 15]);
    expect(fetches).toEqual([[10, 5]]);
  });

  it('answers resync when the gap is larger than it may wait for', async () => {
    const { streams, written, resyncs } = harness({ maxPendingEvents: 10 });
    streams.setCursor(ROOM, 0);
    streams.push(event(50));
    await until(() => resyncs.length === 1, 'one resync', 2_000, 2);
    streams.push(event(51));
    expect(written).toEqual([51]);
  });

  it('answers resync when the log no longer shows the missing events to this user', async () => {
    const { streams, written, resyncs } = harness({ logSize: 0 });
    streams.setCursor(ROOM, 0);
    streams.push(event(3));
    await until(() => written.length === 1, 'one event written', 2_000, 2);
    expect(resyncs).toEqual([ROOM]);
    expect(written).toEqual([3]);
  });

  it('holds everything until released, and drops held events the replay already sent', () => {
    const { streams, written } = harness();
    streams.hold();
    streams.push(event(1));
    streams.push(event(2));
    streams.push(event(3));
    expect(written).toEqual([]);
    streams.setCursor(ROOM, 2);
    streams.release();
    expect(written).toEqual([3]);
  });

  it('asks where a room it has never seen starts', async () => {
    const { streams, written } = harness({ roomStart: async () => 6 });
    streams.push(event(8));
    streams.push(event(7));
    await until(() => written.length === 2, 'two events written', 2_000, 2);
    expect(written).toEqual([7, 8]);
  });

  it('reports an overflow instead of holding without bound', () => {
    const h = harness({ maxPendingEvents: 3 });
    h.streams.hold();
    for (let seq = 1; seq <= 4; seq++) h.streams.push(event(seq));
    expect(h.overflowed()).toBe(true);
  });
});
