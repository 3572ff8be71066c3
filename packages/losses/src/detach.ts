import * as tf from "@tensorflow/tfjs-core";

const detachOp = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => {
  const input = x as tf.Tensor;
  return { value: tf.clone(input), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/**
 * Identity whose gradient is zero (tfjs has no `stop_gradient`): the value leaves the autodiff graph, as
 * PyTorch's `.detach()`. Returns a new tensor owned by the caller.
 *
 * @param x Any tensor.
 * @returns A copy of `x` that no gradient flows through.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { detach } from "@wpo/losses";
 * await initBackend("cpu");
 * const g = tf.grad((x: tf.Tensor) => tf.add(tf.sum(detach(tf.square(x))), tf.sum(x)))(tf.tensor1d([3]));
 * console.assert((await g.data())[0] === 1);
 * ```
 */
export function detach<T extends tf.Tensor>(x: T): T {
  return detachOp(x) as T;
}
