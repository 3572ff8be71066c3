/**
 * Activation recomputation (Hugging Face's "gradient checkpointing") for one function of named tensors,
 * e.g. one decoder layer. The forward pass runs the function without recording anything for the backward
 * pass except its inputs; the backward pass runs it again under a nested gradient and differentiates that.
 */
import * as tf from "@tensorflow/tfjs-core";

/** Reads a tensor of the recomputed function by name. */
export type Lookup = (name: string) => tf.Tensor;

type Grad = tf.Tensor | tf.GradSaveFunc;

/**
 * The engine's tape of the gradient being computed. A nested `gradients` call at depth 0 (as in a backward
 * pass) starts its own tape and clears the engine's afterwards; the outer one must be put back so that its
 * saved tensors are released when the outer backward pass ends.
 */
interface TapeState {
  state: { activeTape: unknown };
}

/**
 * `f(lookup)` with its intermediates recomputed in the backward pass instead of kept. Gradients flow to
 * every tensor of `tensors` for which `differentiable(name, tensor)` holds (e.g. the layer input and the
 * trainable Variables); the others are read as constants and cost no gradient work.
 * @param f The function; it must read every tensor through `lookup` (never from a closure), so that the
 *   recomputation reads the kept copies.
 * @param tensors Every tensor `f` reads, by name.
 * @param differentiable Which of them receive gradients.
 * @returns `f`'s value.
 */
export function recompute(
  f: (lookup: Lookup) => tf.Tensor,
  tensors: ReadonlyMap<string, tf.Tensor>,
  differentiable: (name: string, t: tf.Tensor) => boolean,
): tf.Tensor {
  const names = [...tensors.keys()];
  const inputNames = names.filter((n) => differentiable(n, tensors.get(n)!));
  const constantNames = names.filter((n) => !inputNames.includes(n));
  const lookupOf =
    (map: Map<string, tf.Tensor>): Lookup =>
    (name) => {
      const t = map.get(name);
      if (!t) throw new Error(`Recomputed function read '${name}', which it was not given.`);
      return t;
    };
  const op = tf.customGrad((...args: Grad[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const inputs = args as tf.Tensor[];
    const constants = constantNames.map((n) => tensors.get(n)!);
    // kept until the backward pass: the inputs, and the constants (the caller's tidy may free them before)
    save([...inputs, ...constants]);
    const value = f(lookupOf(new Map(names.map((n) => [n, tensors.get(n)!]))));
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const xs = saved.slice(0, inputNames.length);
        const byName = new Map<string, tf.Tensor>([
          ...inputNames.map((n, i) => [n, xs[i]!] as const),
          ...constantNames.map((n, i) => [n, saved[inputNames.length + i]!] as const),
        ]);
        const engine = tf.engine() as unknown as TapeState;
        const outerTape = engine.state.activeTape;
        try {
          const { value: again, grads } = tf
            .engine()
            .gradients(() => f(lookupOf(byName)), xs, dy as tf.Tensor, true);
          again.dispose();
          return grads.map((g, i) => g ?? tf.zerosLike(xs[i]!));
        } finally {
          engine.state.activeTape = outerTape;
        }
      },
    };
  });
  return op(...inputNames.map((n) => tensors.get(n)!));
}
