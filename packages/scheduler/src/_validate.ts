/** Throws unless `value` is an integer >= 0; `what` names the option in the message. */
export function assertCount(value: unknown, what: string): asserts value is number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${what} must be a number, got ${typeof value === "number" ? "NaN" : typeof value}.`);
  }
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${what} must be an integer >= 0, got ${value}.`);
  }
}

/** Throws unless `value` is a finite number. */
export function assertFinite(value: unknown, what: string): asserts value is number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${what} must be a number, got ${typeof value === "number" ? "NaN" : typeof value}.`);
  }
  if (!Number.isFinite(value)) throw new RangeError(`${what} must be finite, got ${value}.`);
}

/** Throws unless `step` is a valid optimizer step (integer >= 0). */
export function assertStep(step: unknown): asserts step is number {
  assertCount(step, "Schedule step");
}

/** The linear warmup multiplier `step / max(1, warmupSteps)` of transformers (used while step < warmupSteps). */
export function warmupFraction(step: number, warmupSteps: number): number {
  return step / Math.max(1, warmupSteps);
}
