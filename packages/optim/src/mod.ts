/**
 * Optimisation on TensorFlow.js, exact to PyTorch: `AdamW` (torch.optim.AdamW,
 * parameter groups, state save/load), `clipGradNorm` (torch clip_grad_norm_, as the
 * HF Trainer's `max_grad_norm`) and `GradientAccumulator` (micro-batch gradient sums).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { AdamW, clipGradNorm } from "@wpo/optim";
 * await initBackend("cpu");
 * const w = tf.variable(tf.tensor2d([[1, 2], [3, 4]]), true, "mod_w");
 * const opt = new AdamW(new Map([["w", w]]), { weightDecay: 0.1, noDecayOn1D: true });
 * const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(w)));
 * const clipped = clipGradNorm({ w: grads.mod_w! }, 1.0);
 * opt.step(clipped.grads, { lr: 1e-2 });
 * console.assert(opt.stepCount === 1 && (await clipped.norm.data())[0]! > 1);
 * tf.dispose([value, grads, clipped.grads, clipped.norm]);
 * ```
 *
 * @module
 */
export { AdamW, type AdamWState, type AdamWStepOptions } from "./adamw.ts";
export { ADAMW_UPDATE_KERNEL, type AdamWUpdateAttrs } from "@wpo/kernels";
export type { AdamWOptions, AdamWParamGroup, ResolvedGroup } from "./adamw_options.ts";
export type { NamedGradients, NamedVariables } from "./_named.ts";
export { type ClipGradNormOptions, type ClipGradNormResult, clipGradNorm } from "./clip_grad_norm.ts";
export {
  type AccumulateOptions,
  GradientAccumulator,
  type GradientAccumulatorOptions,
} from "./gradient_accumulator.ts";
