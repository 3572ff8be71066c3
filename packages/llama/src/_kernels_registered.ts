import * as tf from "@tensorflow/tfjs-core";

/** True when the active backend registers every named kernel (the fused ops' test for their fast path). */
export function kernelsRegistered(...names: string[]): boolean {
  const backend = tf.getBackend();
  return names.every((name) => tf.getKernel(name, backend) !== undefined);
}
