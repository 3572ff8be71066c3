import * as tf from "@tensorflow/tfjs-core";

/** `tf.tidy` for functions returning an interface-typed record of tensors (interfaces lack an index signature). */
export function tidyRecord<T extends object>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
