import { ParleyError } from '../errors.js';

/** One element's fate after its batch was written: a value, or the error for that element alone. */
export type Settled<R> = { value: R } | { error: unknown };

export interface GroupCommitOptions {
  /** Most elements in one batch (PARLEY_GROUP_COMMIT_MAX_BATCH). */
  maxBatch: number;
  /**
   * How long an idle writer waits for more elements before writing
   * (PARLEY_GROUP_COMMIT_MAX_WAIT_MS). 0, the default, writes at once: a lone
   * send on an idle server is not delayed; batches form by themselves from
   * what arrives while a commit is in flight.
   */
  maxWaitMs: number;
  /** Most elements waiting; past it submissions are refused as `unavailable` (back-pressure). */
  maxQueued: number;
  /**
   * Most elements of the background lane per batch. Background writes (read
   * markers) fill what room a batch has left, up to this many, so a burst of
   * them never holds the foreground (sends) up behind it.
   */
  maxBackgroundPerBatch: number;
}

/** Foreground writes are batched first; background ones fill in (see {@link GroupCommitOptions.maxBackgroundPerBatch}). */
export type Lane = 'foreground' | 'background';

/** Counters a test reads: how many batches carried how many elements (/metrics times them in write-path.ts). */
export interface GroupCommitStats {
  batches: number;
  elements: number;
  largestBatch: number;
}

interface Entry<E, R> {
  element: E;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: elements submitted while a batch is being written wait and go
 * together in the next batch, so N concurrent writes cost one transaction —
 * one commit, one fsync — instead of N. One batch is in flight at a time:
 * batches commit in submission order, so the elements of one submitter (a
 * socket's sends) keep their order across batches too.
 *
 * `write` receives the batch and answers one {@link Settled} per element, in
 * order; it owns the transaction. A promise settles only after `write`
 * returned, i.e. after the commit: nothing is acknowledged that is not stored.
 * If `write` throws, every element of the batch fails with that error.
 */
export class GroupCommit<E, R, A = Settled<R>[]> {
  private queue: Entry<E, R>[] = [];
  private background: Entry<E, R>[] = [];
  private writing = false;
  private scheduled = false;
  readonly stats: GroupCommitStats = { batches: 0, elements: 0, largestBatch: 0 };

  /**
   * `write` commits a batch; `finish` turns what it answered into one
   * {@link Settled} per element (and may publish). The next batch is sent to
   * the database before `finish` runs, so the fan-out of one batch overlaps
   * the commit of the next.
   */
  constructor(
    private readonly write: (batch: E[]) => Promise<A>,
    private readonly finish: (batch: E[], answer: A) => Promise<Settled<R>[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(element: E, lane: Lane = 'foreground'): Promise<R> {
    const queue = lane === 'foreground' ? this.queue : this.background;
    if (queue.length >= this.options.maxQueued) {
      return Promise.reject(new ParleyError('unavailable', 'The server is busy; retry shortly'));
    }
    return new Promise<R>((resolve, reject) => {
      queue.push({ element, resolve, reject });
      this.schedule();
    });
  }

  /** Elements waiting for a batch (not counting the one being written). */
  get queued(): number {
    return this.queue.length + this.background.length;
  }

  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    // setImmediate, not a microtask: frames that arrived in the same read from
    // the network (and their promise chains) join the batch before it starts.
    const run = () => {
      this.scheduled = false;
      void this.writeNext();
    };
    if (this.options.maxWaitMs > 0) setTimeout(run, this.options.maxWaitMs);
    else setImmediate(run);
  }

  private async writeNext(): Promise<void> {
    if (this.writing || this.queued === 0) return;
    this.writing = true;
    const batch = this.queue.splice(0, this.options.maxBatch);
    const room = Math.min(this.options.maxBackgroundPerBatch, this.options.maxBatch - batch.length);
    if (room > 0) batch.push(...this.background.splice(0, room));
    this.stats.batches += 1;
    this.stats.elements += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    const elements = batch.map((entry) => entry.element);
    let answer: { ok: A } | { error: unknown };
    try {
      answer = { ok: await this.write(elements) };
    } catch (error) {
      answer = { error };
    }
    this.writing = false;
    // What queued up meanwhile is the next batch: send it now, then finish this one.
    if (this.queued > 0) void this.writeNext();
    let settled: Settled<R>[];
    try {
      settled = 'ok' in answer ? await this.finish(elements, answer.ok) : batch.map(() => ({ error: answer.error }));
    } catch (error) {
      settled = batch.map(() => ({ error }));
    }
    batch.forEach((entry, i) => {
      const result = settled[i] ?? { error: new ParleyError('internal', 'Internal error') };
      if ('value' in result) entry.resolve(result.value);
      else entry.reject(result.error);
    });
  }
}
