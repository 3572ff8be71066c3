import type { MetricRecord } from "./metrics_log.ts";

/** Consecutive steps a collapse sign must last before training stops. */
export const COLLAPSE_STEPS = 3;

const tiny = (x: number | undefined, eps: number) => x !== undefined && Math.abs(x) < eps;

/**
 * Watches per-step records for a collapse: a zero gradient norm, or mean chosen and rejected logits at 0,
 * for {@linkcode COLLAPSE_STEPS} steps in a row. Such a run keeps going with a finite, flat loss and
 * learns nothing; the usual cause is a learning rate so high that the weights saturated.
 */
export class CollapseWatch {
  #zeroGrad = 0;
  #zeroLogits = 0;

  /** Adds the record of 1-based step `step`; returns the error message when the run has collapsed. */
  check(r: MetricRecord, step: number, learningRate: number): string | undefined {
    this.#zeroGrad = tiny(r.grad_norm, 1e-10) ? this.#zeroGrad + 1 : 0;
    this.#zeroLogits =
      tiny(r["logits/chosen"], 1e-6) && tiny(r["logits/rejected"], 1e-6) ? this.#zeroLogits + 1 : 0;
    if (this.#zeroGrad < COLLAPSE_STEPS && this.#zeroLogits < COLLAPSE_STEPS) return undefined;
    const sign =
      this.#zeroGrad >= COLLAPSE_STEPS
        ? `the gradient norm was 0 for ${this.#zeroGrad} steps`
        : `the mean logits were 0 for ${this.#zeroLogits} steps`;
    return (
      `Training collapsed at step ${step}: ${sign} (loss ${r.loss?.toFixed(6)}, grad_norm ${r.grad_norm}, ` +
      `logits/chosen ${r["logits/chosen"]}, logits/rejected ${r["logits/rejected"]}). Likely cause: the learning rate ` +
      `(${learningRate}) is so high that the weights saturated; or every pair has identical or empty responses. ` +
      "Lower --learning_rate, check the pairs with `wpo tokenize --data`, and start again from a checkpoint before " +
      `step ${Math.max(0, step - COLLAPSE_STEPS)}.`
    );
  }
}
