/**
 * The step-up search of the fan-out load generator: the offered rate goes up by `factor` per step
 * until a step fails (see loadgen/fanout.ts), then one refining step between the last pass and the
 * failure; the best passing step is the scenario's figure.
 */
import type { FanoutInput, FanoutResult, PhaseResult, StopReason } from '../loadgen/fanout-types.js';
import { progress } from './processes.js';

type Ceiling = Required<
  Pick<
    FanoutResult,
    'steps' | 'max_delivered_per_s' | 'max_acked_per_s' | 'max_sends_per_s' | 'best_step' | 'stopped_by'
  >
>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the steps with `runPhase` (`drain` waits out a failed step's stragglers); `label` prefixes the progress lines. */
export async function searchCeiling(
  s: NonNullable<FanoutInput['steps']>,
  runPhase: (sendsPerSecond: number, seconds: number, warmupSeconds: number) => Promise<PhaseResult>,
  drain: (quietMs: number) => Promise<void>,
  label: string,
): Promise<Ceiling> {
  const gate = s.gate ?? 'delivery';
  const result: Ceiling = {
    steps: [],
    max_delivered_per_s: null,
    max_acked_per_s: null,
    max_sends_per_s: null,
    best_step: null,
    stopped_by: 'max_rate',
  };
  let best = -1;
  // A fresh server compiles its hot paths during the first seconds: warm it at the first rate, unrecorded.
  await runPhase(s.startSendsPerSecond, s.warmupSeconds, 0);
  let refined = false;
  let lastPassed: number | null = null;
  for (let rate = s.startSendsPerSecond; rate <= s.maxSendsPerSecond; rate = Math.round(rate * s.factor)) {
    const step = await runPhase(rate, s.stepSeconds, Math.min(0.5, s.stepSeconds / 4));
    const p99 = gate === 'ack' ? step.ack_latency.p99_ms : step.latency.p99_ms;
    const failure: StopReason | null =
      step.undelivered > 0
        ? 'undelivered'
        : step.unacked > 0
          ? 'unacked'
          : step.duplicated > 0
            ? 'duplicated'
            : p99 > s.p99LimitMs
              ? 'p99'
              : null;
    result.steps.push({ ...step, passed: failure === null });
    progress(
      `${label}: step ${rate}/s → ${gate} p99 ${p99} ms, delivered/s ${step.delivered_per_s}, acked/s ${step.acked_per_s}, ` +
        `undelivered ${step.undelivered}, unacked ${step.unacked}, duplicated ${step.duplicated}, error frames ${step.error_frames}, cpu ${JSON.stringify(step.cpu_percent)}`,
    );
    if (failure) {
      result.stopped_by = failure;
      // One more step halfway (geometrically) between the last rate that passed and this one, once the
      // failed step has drained: a factor-2 grid alone reports up to half the real ceiling, for every target alike.
      if (refined || lastPassed === null) break;
      refined = true;
      await drain(3000);
      await sleep(1000);
      rate = Math.round(Math.sqrt(lastPassed * rate) / s.factor);
      continue;
    }
    lastPassed = rate;
    const figure = gate === 'ack' ? step.acked_per_s : step.delivered_per_s;
    if (figure > best) {
      best = figure;
      result.max_delivered_per_s = step.delivered_per_s;
      result.max_acked_per_s = step.acked_per_s;
      result.max_sends_per_s = rate;
      result.best_step = result.steps.length - 1;
    }
    if (step.loadgen_saturated) {
      result.stopped_by = 'loadgen_saturated';
      break;
    }
    if (refined) break;
    await sleep(500);
  }
  return result;
}
