import type * as tf from "@tensorflow/tfjs-core";

/**
 * What the trainer needs from an optimizer: `@wpo/optim`'s AdamW has this shape.
 * Gradients are keyed by Hugging Face parameter name.
 */
export interface TrainerOptimizer {
  /** Applies one update with the given learning rate; does not dispose `grads`. */
  step(grads: Map<string, tf.Tensor>, options: { lr: number }): void;
  /** The optimizer's state (moments, step count) for a checkpoint. */
  state(): unknown | Promise<unknown>;
  /** Restores a state returned by `state()`. */
  loadState(state: unknown): void;
  /** Frees the optimizer's tensors. */
  dispose?(): void;
}
