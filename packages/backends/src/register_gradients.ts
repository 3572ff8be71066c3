/**
 * The one place in the project that loads TensorFlow.js gradient registrations.
 *
 * `@tensorflow/tfjs-core`'s main bundle registers no gradients, so `tf.grad` and
 * `tf.variableGrads` fail with "gradient function not found" until this module has
 * run. Every `@wpo/*` package that differentiates relies on `initBackend` (which
 * imports this file) having been called first.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import { batchMatMulGradConfig } from "./_matmul_gradient.ts";
import { softmaxGradConfig } from "./_softmax_gradient.ts";

// Replaces the stock BatchMatMul gradient (see _matmul_gradient.ts) and the Softmax one (same formula, or a
// backend's fused kernel: _softmax_gradient.ts), quietly: tfjs warns when a gradient is overridden.
{
  const warn = console.warn;
  console.warn = () => {};
  try {
    tf.registerGradient(batchMatMulGradConfig);
    tf.registerGradient(softmaxGradConfig);
  } finally {
    console.warn = warn;
  }
}

/** True once the gradient registrations have been loaded into the tfjs-core registry. */
export const GRADIENTS_REGISTERED = true;
