import * as tf from "@tensorflow/tfjs-core";
import { assertSameShape, gradientEntries, type NamedGradients } from "./_named.ts";

/** Options of {@linkcode GradientAccumulator}. */
export interface GradientAccumulatorOptions {
  /**
   * `sum` (default): the HF Trainer way, where each micro-batch loss is already divided by the accumulation
   * steps; `mean`: divide the sum by the number of micro-batches added.
   */
  reduction?: "sum" | "mean";
}

/** Options of {@linkcode GradientAccumulator.add}. */
export interface AccumulateOptions {
  /**
   * Take ownership of the gradients instead of copying them: no copy is made and they are disposed once summed,
   * so the caller must not use or dispose them afterwards (saves one gradient-sized copy). Default false.
   */
  transfer?: boolean;
}

/**
 * Sums gradient maps over micro-batches, so that batch 1 x accumulation 8 gives the
 * update of batch 8 x accumulation 1. Holds its own copies: the gradients passed to
 * `add` may be disposed right after. A parameter missing from a micro-batch
 * contributes nothing to that micro-batch (as torch's `.grad` accumulation).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { GradientAccumulator } from "@wpo/optim";
 * await initBackend("cpu");
 * const acc = new GradientAccumulator({ reduction: "mean" });
 * acc.add({ w: tf.tensor1d([1, 2]) });
 * acc.add({ w: tf.tensor1d([3, 4]) });
 * const grads = acc.gradients();
 * console.assert(acc.count === 2 && (await grads.w!.data())[1] === 3);
 * acc.dispose();
 * ```
 */
export class GradientAccumulator {
  readonly #reduction: "sum" | "mean";
  readonly #sums = new Map<string, tf.Tensor>();
  #count = 0;

  /**
   * Creates an empty accumulator.
   *
   * @param options `reduction`: sum (default) or mean.
   * @throws {RangeError} for an unknown reduction.
   */
  constructor(options: GradientAccumulatorOptions = {}) {
    const reduction = options.reduction ?? "sum";
    if (reduction !== "sum" && reduction !== "mean") {
      throw new RangeError(`GradientAccumulator: reduction must be "sum" or "mean", got '${reduction}'.`);
    }
    this.#reduction = reduction;
  }

  /** Number of micro-batches added since the last reset. */
  get count(): number {
    return this.#count;
  }

  /**
   * Adds one micro-batch's gradients: copied (the caller keeps ownership of `grads`), or taken over with
   * `{ transfer: true }`.
   *
   * @param grads Gradients by name.
   * @param options `transfer`: hand the tensors over instead of copying them.
   * @returns Nothing.
   * @throws {TypeError} if a gradient's shape differs from the one accumulated under its name.
   */
  add(grads: NamedGradients, options: AccumulateOptions = {}): void {
    const entries = gradientEntries(grads);
    for (const [name, g] of entries) {
      const old = this.#sums.get(name);
      if (old) assertSameShape(old.shape, g.shape, `GradientAccumulator.add: gradient '${name}'`);
    }
    const transfer = options.transfer === true;
    for (const [name, g] of entries) {
      const old = this.#sums.get(name);
      let next: tf.Tensor;
      if (old === undefined && transfer && g.dtype === "float32") next = g;
      else {
        next = tf.tidy(() => {
          const f = g.dtype === "float32" ? g : tf.cast(g, "float32");
          return old ? tf.add(old, f) : tf.clone(f);
        });
        if (transfer) g.dispose();
      }
      old?.dispose();
      this.#sums.set(name, next);
    }
    this.#count += 1;
  }

  /**
   * Hands the accumulated gradients over without copying them (sum, or sum / count for `mean`) and starts over:
   * the caller owns the returned tensors.
   *
   * @returns Gradients by name.
   * @throws {RangeError} if nothing was added.
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs-core";
   * import { initBackend } from "@wpo/backends";
   * import { GradientAccumulator } from "@wpo/optim";
   * await initBackend("cpu");
   * const acc = new GradientAccumulator();
   * acc.add({ w: tf.tensor1d([1]) }, { transfer: true });
   * acc.add({ w: tf.tensor1d([2]) }, { transfer: true });
   * const grads = acc.take();
   * console.assert(acc.count === 0 && (await grads.w!.data())[0] === 3);
   * ```
   */
  take(): tf.NamedTensorMap {
    if (this.#count === 0)
      throw new RangeError("GradientAccumulator.take: no micro-batch was added; call add() first.");
    const out: tf.NamedTensorMap = {};
    for (const [name, sum] of this.#sums) {
      if (this.#reduction === "mean") {
        out[name] = tf.tidy(() => tf.div(sum, tf.scalar(this.#count)));
        sum.dispose();
      } else out[name] = sum;
    }
    this.#sums.clear();
    this.#count = 0;
    return out;
  }

  /**
   * The accumulated gradients (sum, or sum / count for `mean`) as new tensors that the caller owns.
   *
   * @returns Gradients by name.
   * @throws {RangeError} if nothing was added.
   */
  gradients(): tf.NamedTensorMap {
    if (this.#count === 0)
      throw new RangeError("GradientAccumulator.gradients: no micro-batch was added; call add() first.");
    const out: tf.NamedTensorMap = {};
    for (const [name, sum] of this.#sums) {
      out[name] =
        this.#reduction === "mean" ? tf.tidy(() => tf.div(sum, tf.scalar(this.#count))) : tf.clone(sum);
    }
    return out;
  }

  /**
   * Frees the accumulated sums and starts over (call after each optimizer step).
   *
   * @returns Nothing.
   */
  reset(): void {
    for (const t of this.#sums.values()) t.dispose();
    this.#sums.clear();
    this.#count = 0;
  }

  /**
   * Frees everything held; same as {@linkcode GradientAccumulator.reset}.
   *
   * @returns Nothing.
   */
  dispose(): void {
    this.reset();
  }
}
