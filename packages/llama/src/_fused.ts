/**
 * Fused-kernel dispatch, in one place. Each op of the decoder is written once as tensor maths (`_rms_norm.ts`,
 * `_swiglu.ts`, `_apply_rope.ts`, `_attention_probs.ts`); {@linkcode ops} runs it through the backend's fused
 * kernel instead when the active backend registers that kernel (and its backward) and the inputs fit, with
 * the same values to float32 rounding (bit-identical for RoPE). `@wpo/backends` registers the kernels on wasm
 * when the native `@wpo/blas` addon loads; every other backend runs the maths.
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  MASKED_SOFTMAX_KERNEL,
  RMS_NORM_GRAD_KERNEL,
  RMS_NORM_KERNEL,
  ROPE_KERNEL,
  SOFTMAX_GRAD_KERNEL,
  SWIGLU_GRAD_KERNEL,
  SWIGLU_KERNEL,
} from "@wpo/kernels";
import { applyRope } from "./_apply_rope.ts";
import { attentionProbs, softmaxGrad } from "./_attention_probs.ts";
import { kernelsRegistered } from "./_kernels_registered.ts";
import { rmsNorm } from "./_rms_norm.ts";
import { swiglu } from "./_swiglu.ts";

/** A fused implementation of an op: the kernels it needs, whether given inputs fit them, and the run. */
interface Fused<A extends unknown[], R extends tf.Tensor> {
  kernels: string[];
  fits: (...args: A) => boolean;
  run: (...args: A) => R;
}

/** The op that runs `fused` where its kernels are registered and the inputs fit, else `maths`. */
function dispatch<A extends unknown[], R extends tf.Tensor>(
  maths: (...args: A) => R,
  fused: Fused<A, R>,
): (...args: A) => R {
  return (...args) =>
    fused.fits(...args) && kernelsRegistered(...fused.kernels) ? fused.run(...args) : maths(...args);
}

type Grad = tf.Tensor | tf.GradSaveFunc;
const kernel = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}) =>
  tf.engine().runKernel(name, inputs, attrs);
const float32 = (...ts: tf.Tensor[]) => ts.every((t) => t.dtype === "float32");

const fusedRmsNorm: Fused<[tf.Tensor, tf.Tensor, number], tf.Tensor> = {
  kernels: [RMS_NORM_KERNEL, RMS_NORM_GRAD_KERNEL],
  fits: (x, w) => float32(x, w) && w.rank === 1 && x.rank >= 1 && x.shape[x.rank - 1] === w.shape[0],
  run: (x, weight, eps) =>
    tf.customGrad((xs: Grad, w: Grad, save: Grad) => {
      const inputs = { x: xs as tf.Tensor, weight: w as tf.Tensor };
      (save as tf.GradSaveFunc)([inputs.x, inputs.weight]);
      return {
        value: kernel(RMS_NORM_KERNEL, inputs, { eps }) as tf.Tensor,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], [sx, sw]: tf.Tensor[]) =>
          kernel(RMS_NORM_GRAD_KERNEL, { dy: dy as tf.Tensor, x: sx!, weight: sw! }, { eps }) as tf.Tensor[],
      };
    })(x, weight),
};

const fusedSwiglu: Fused<[tf.Tensor, tf.Tensor], tf.Tensor> = {
  kernels: [SWIGLU_KERNEL, SWIGLU_GRAD_KERNEL],
  fits: (gate, up) => float32(gate, up) && tf.util.arraysEqual(gate.shape, up.shape),
  run: (gate, up) =>
    tf.customGrad((g: Grad, u: Grad, save: Grad) => {
      const inputs = { gate: g as tf.Tensor, up: u as tf.Tensor };
      (save as tf.GradSaveFunc)([inputs.gate, inputs.up]);
      return {
        value: kernel(SWIGLU_KERNEL, inputs) as tf.Tensor,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], [sg, su]: tf.Tensor[]) =>
          kernel(SWIGLU_GRAD_KERNEL, { dy: dy as tf.Tensor, gate: sg!, up: su! }) as tf.Tensor[],
      };
    })(gate, up),
};

const fusedRope: Fused<[tf.Tensor, tf.Tensor, tf.Tensor], tf.Tensor> = {
  kernels: [ROPE_KERNEL],
  fits: (x, cos, sin) => x.rank === 4 && float32(x, cos, sin),
  run: (x, cos, sin) =>
    tf.customGrad((input: Grad, save: Grad) => {
      // the tables are kept for the backward pass (the caller's tidy may free them before it runs)
      (save as tf.GradSaveFunc)([cos, sin]);
      return {
        value: kernel(ROPE_KERNEL, { x: input as tf.Tensor, cos, sin }, { inverse: false }) as tf.Tensor,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], [c, s]: tf.Tensor[]) => [
          kernel(ROPE_KERNEL, { x: dy as tf.Tensor, cos: c!, sin: s! }, { inverse: true }) as tf.Tensor,
        ],
      };
    })(x),
};

const fusedAttentionProbs: Fused<[tf.Tensor4D, tf.Tensor4D, number, number], tf.Tensor4D> = {
  kernels: [MASKED_SOFTMAX_KERNEL, SOFTMAX_GRAD_KERNEL],
  fits: (scores, bias) => float32(scores, bias),
  run: (scores, bias, scale) =>
    tf.customGrad((x: Grad, save: Grad) => {
      const y = kernel(MASKED_SOFTMAX_KERNEL, { x: x as tf.Tensor, bias }, { scale }) as tf.Tensor;
      (save as tf.GradSaveFunc)([y]);
      return {
        value: y,
        // d softmax, then the chain rule through x·scale
        gradFunc: (dy: tf.Tensor | tf.Tensor[], [p]: tf.Tensor[]) => [
          tf.mul(kernel(SOFTMAX_GRAD_KERNEL, { y: p!, dy: dy as tf.Tensor }) as tf.Tensor, scale),
        ],
      };
    })(scores) as tf.Tensor4D,
};

const fusedSoftmaxGrad: Fused<[tf.Tensor, tf.Tensor], tf.Tensor> = {
  kernels: [SOFTMAX_GRAD_KERNEL],
  fits: (y, dy) => float32(y, dy),
  run: (y, dy) => kernel(SOFTMAX_GRAD_KERNEL, { y, dy }) as tf.Tensor,
};

/** The decoder's ops: the fused kernel where the backend has it, else the tensor maths. */
export const ops = {
  /** RMSNorm, see `_rms_norm.ts`. */
  rmsNorm: dispatch(rmsNorm, fusedRmsNorm),
  /** SwiGLU, see `_swiglu.ts`. */
  swiglu: dispatch(swiglu, fusedSwiglu),
  /** RoPE, see `_apply_rope.ts`. */
  applyRope: dispatch(applyRope, fusedRope),
  /** Masked, scaled softmax of attention scores, see `_attention_probs.ts`. */
  attentionProbs: dispatch(attentionProbs, fusedAttentionProbs),
  /** Softmax gradient from output and output gradient (no autodiff), see `_attention_probs.ts`. */
  softmaxGrad: dispatch(softmaxGrad, fusedSoftmaxGrad),
};
