import { describe, expect, it } from 'vitest';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';

/** A GroupCommit over a fake database whose commits the test releases one at a time. */
function harness(options: Partial<GroupCommitOptions> = {}) {
  const batches: number[][] = [];
  const pending: Array<() => void> = [];
  const commit = new GroupCommit<number, number, number[]>(
    (batch) =>
      new Promise((resolve) => {
        batches.push(batch);
        pending.push(() => resolve(batch));
      }),
    async (batch, answer) =>
      batch.map((n, i) => (n < 0 ? { error: new Error(`bad ${n}`) } : { value: answer[i]! * 10 })),
    { maxBatch: 4, maxWaitMs: 0, maxQueued: 100, maxBackgroundPerBatch: 1, ...options },
  );
  const waitForBatches = async (n: number) => {
    while (batches.length < n) await new Promise((r) => setImmediate(r));
  };
  return { commit, batches, release: () => pending.shift()!(), waitForBatches };
}

describe('GroupCommit', () => {
  it('writes a lone element at once, and batches what arrives while a commit is in flight', async () => {
    const { commit, batches, release, waitForBatches } = harness();
    const first = commit.submit(1);
    await waitForBatches(1);
    expect(batches).toEqual([[1]]);
    const later = [2, 3, 4, 5, 6].map((n) => commit.submit(n));
    // Nothing is written while the first batch has not committed, and nothing settles before its commit.
    expect(batches).toHaveLength(1);
    release();
    expect(await first).toBe(10);
    await waitForBatches(2);
    expect(batches[1]).toEqual([2, 3, 4, 5]); // at most maxBatch
    release();
    await waitForBatches(3);
    expect(batches[2]).toEqual([6]);
    release();
    expect(await Promise.all(later)).toEqual([20, 30, 40, 50, 60]);
  });

  it('fails only the element its batch answered with an error, and every element when the write throws', async () => {
    let fail = false;
    const commit = new GroupCommit<number, number, number[]>(
      async (batch) => {
        if (fail) throw new Error('commit failed');
        return batch;
      },
      async (batch) => batch.map((n) => (n < 0 ? { error: new Error('refused') } : { value: n })),
      { maxBatch: 10, maxWaitMs: 0, maxQueued: 100, maxBackgroundPerBatch: 1 },
    );
    const results = await Promise.allSettled([commit.submit(1), commit.submit(-1), commit.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    fail = true;
    const failed = await Promise.allSettled([commit.submit(3), commit.submit(4)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('puts foreground elements first and lets background ones fill in, a few per batch', async () => {
    const { commit, batches, release, waitForBatches } = harness({ maxBackgroundPerBatch: 1 });
    const blocker = commit.submit(0);
    await waitForBatches(1);
    const reads = [100, 101, 102].map((n) => commit.submit(n, 'background'));
    const sends = [1, 2].map((n) => commit.submit(n));
    release();
    await blocker;
    await waitForBatches(2);
    expect(batches[1]).toEqual([1, 2, 100]);
    release();
    await waitForBatches(3);
    expect(batches[2]).toEqual([101]);
    release();
    await waitForBatches(4);
    release();
    expect(await Promise.all([...sends, ...reads])).toEqual([10, 20, 1000, 1010, 1020]);
  });

  it('refuses new elements as unavailable past the queue bound', async () => {
    const { commit, release, waitForBatches } = harness({ maxQueued: 2 });
    const inFlight = commit.submit(1);
    await waitForBatches(1);
    const queued = [commit.submit(2), commit.submit(3)];
    await expect(commit.submit(4)).rejects.toMatchObject({ code: 'unavailable' });
    release();
    await inFlight;
    await new Promise((r) => setImmediate(r));
    release();
    expect(await Promise.all(queued)).toEqual([20, 30]);
  });
});
