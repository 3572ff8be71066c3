import * as tf from "@tensorflow/tfjs-core";

const stop = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => ({
  value: tf.clone(x as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/** The value of `x` with a zero gradient (tfjs has no stop_gradient). */
export function detach<T extends tf.Tensor>(x: T): T {
  return stop(x) as T;
}
