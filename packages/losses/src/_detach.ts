import * as tf from "@tensorflow/tfjs-core";

const detachOp = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => {
  const input = x as tf.Tensor;
  return { value: tf.clone(input), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/** Identity whose gradient is zero (tfjs has no stop_gradient): the value leaves the autodiff graph. */
export function detach<T extends tf.Tensor>(x: T): T {
  return detachOp(x) as T;
}
