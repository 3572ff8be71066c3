import { constantWithWarmup } from "./constant_with_warmup.ts";
import { cosineWithHardRestarts } from "./cosine_with_hard_restarts.ts";
import { cosineWithWarmup } from "./cosine_with_warmup.ts";
import { inverseSqrtWithWarmup } from "./inverse_sqrt.ts";
import { linearWithWarmup } from "./linear_with_warmup.ts";
import { polynomialWithWarmup } from "./polynomial_with_warmup.ts";
import type { Schedule } from "./schedule.ts";
import { warmupStepsFromRatio } from "./warmup_steps_from_ratio.ts";

/** Options of {@linkcode getScheduler}: the union of every schedule's options (HF `get_scheduler` style). */
export interface SchedulerOptions {
  /** Total optimizer steps. Required by the decaying schedules. */
  totalSteps?: number;
  /** Warmup steps; when 0 or absent, `ceil(totalSteps * warmupRatio)` (HF precedence). */
  warmupSteps?: number;
  /** Warmup as a fraction of `totalSteps`, used when `warmupSteps` is 0 or absent. */
  warmupRatio?: number;
  /** `cosine`: waves (default 0.5); `cosine_with_restarts`: restarts (default 1). */
  numCycles?: number;
  /** `cosine_with_min_lr`: floor as a fraction of the base lr. */
  minLrRate?: number;
  /** `inverse_sqrt`: timescale. */
  timescale?: number;
  /** `polynomial`: base lr, final lr and power. */
  lrInit?: number;
  lrEnd?: number;
  power?: number;
}

/** Builds a schedule from resolved options (warmup steps already known). */
export type SchedulerFactory = (
  options: SchedulerOptions & { warmupSteps: number; totalSteps: number },
) => Schedule;

function required(value: number | undefined, what: string): number {
  if (value === undefined) throw new TypeError(`getScheduler: option ${what} is required for this schedule.`);
  return value;
}

const FACTORIES = new Map<string, SchedulerFactory>([
  ["linear", (o) => linearWithWarmup(o)],
  ["cosine", (o) => cosineWithWarmup(o)],
  ["cosine_with_min_lr", (o) => cosineWithWarmup({ ...o, minLrRate: required(o.minLrRate, "minLrRate") })],
  ["cosine_with_restarts", (o) => cosineWithHardRestarts(o)],
  ["polynomial", (o) => polynomialWithWarmup({ ...o, lrInit: required(o.lrInit, "lrInit") })],
  ["constant", () => constantWithWarmup({ warmupSteps: 0 })],
  ["constant_with_warmup", (o) => constantWithWarmup(o)],
  ["inverse_sqrt", (o) => inverseSqrtWithWarmup(o)],
]);

/**
 * Adds a schedule under a name so that {@linkcode getScheduler} (and the trainer's
 * `lr_scheduler_type`) can find it.
 *
 * @param name The schedule's name; must not be registered yet.
 * @param factory Builds the schedule from options with resolved `warmupSteps` and `totalSteps`.
 * @returns Nothing.
 * @throws {RangeError} if the name is taken.
 *
 * @example
 * ```ts
 * import { getScheduler, registerScheduler } from "@wpo/scheduler";
 * registerScheduler("halved", () => () => 0.5);
 * console.assert(getScheduler("halved", { totalSteps: 3 })(1) === 0.5);
 * ```
 */
export function registerScheduler(name: string, factory: SchedulerFactory): void {
  if (FACTORIES.has(name))
    throw new RangeError(`registerScheduler: a schedule named '${name}' already exists.`);
  FACTORIES.set(name, factory);
}

/**
 * The names {@linkcode getScheduler} accepts.
 *
 * @returns Registered schedule names, in registration order.
 *
 * @example
 * ```ts
 * import { listSchedulers } from "@wpo/scheduler";
 * console.assert(listSchedulers().includes("cosine"));
 * ```
 */
export function listSchedulers(): string[] {
  return [...FACTORIES.keys()];
}

/**
 * A schedule by its transformers name (`SchedulerType`): linear, cosine,
 * cosine_with_min_lr, cosine_with_restarts, polynomial, constant,
 * constant_with_warmup, inverse_sqrt, or a registered one. Warmup steps win over
 * the ratio, as in HF (`warmup_steps > 0` else `ceil(totalSteps * warmupRatio)`).
 *
 * @param name The schedule's name.
 * @param options Total steps, warmup steps or ratio, and schedule-specific options.
 * @returns The multiplier of each step.
 * @throws {RangeError} for an unknown name (the message lists the known ones); {TypeError} if a required option is missing.
 *
 * @example
 * ```ts
 * import { getScheduler } from "@wpo/scheduler";
 * const lambda = getScheduler("cosine", { totalSteps: 936, warmupRatio: 0.1 });
 * console.assert(lambda(94) === 1 && lambda(47) === 0.5);
 * ```
 */
export function getScheduler(name: string, options: SchedulerOptions = {}): Schedule {
  const factory = FACTORIES.get(name);
  if (!factory) {
    throw new RangeError(`getScheduler: unknown schedule '${name}'; known: ${listSchedulers().join(", ")}.`);
  }
  const totalSteps = options.totalSteps ?? 0;
  const warmupSteps =
    options.warmupSteps !== undefined && options.warmupSteps > 0
      ? options.warmupSteps
      : warmupStepsFromRatio(options.warmupRatio ?? 0, totalSteps);
  return factory({ ...options, warmupSteps, totalSteps });
}
