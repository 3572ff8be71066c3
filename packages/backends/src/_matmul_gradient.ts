import * as tf from "@tensorflow/tfjs-core";

/** Sums `g` over the batch axes that `shape` broadcast, then gives it `shape`. */
function unbroadcast(g: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.shape.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.shape.length - 2; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return tf.reshape(axes.length ? tf.sum(g, axes) : g, [...shape]);
}

/**
 * Gradient of `BatchMatMul` that (1) reduces over broadcast batch axes — tfjs 4.22's
 * stock gradient returns a `[B, k, n]` gradient for a shared `[k, n]` operand and
 * fails — and (2) computes the shared weight's gradient of `x[..., m, k] · W` as ONE
 * product over the flattened rows, `reshape(x)ᵀ · reshape(dy)`, instead of B products
 * and a sum. Same formulas as the stock gradient otherwise.
 */
export const batchMatMulGradConfig: tf.GradConfig = {
  kernelName: "BatchMatMul",
  inputsToSave: ["a", "b"],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const g = dy as tf.Tensor;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const mm = (x: tf.Tensor, y: tf.Tensor, tx: boolean, ty: boolean) => tf.matMul(x, y, tx, ty);
    const flatRows = (t: tf.Tensor) => tf.reshape(t, [-1, t.shape[t.shape.length - 1]!]);
    const sharedB = b.rank === 2 && a.rank > 2 && !transposeA;
    return {
      a: () => {
        if (!transposeA && !transposeB) return unbroadcast(mm(g, b, false, true), a.shape);
        if (!transposeA && transposeB) return unbroadcast(mm(g, b, false, false), a.shape);
        if (transposeA && !transposeB) return unbroadcast(mm(b, g, false, true), a.shape);
        return unbroadcast(mm(b, g, true, true), a.shape);
      },
      b: () => {
        if (sharedB && !transposeB) return mm(flatRows(a), flatRows(g), true, false);
        if (sharedB && transposeB) return mm(flatRows(g), flatRows(a), true, false);
        if (!transposeA && !transposeB) return unbroadcast(mm(a, g, true, false), b.shape);
        if (!transposeA && transposeB) return unbroadcast(mm(g, a, true, false), b.shape);
        if (transposeA && !transposeB) return unbroadcast(mm(a, g, false, false), b.shape);
        return unbroadcast(mm(g, a, true, true), b.shape);
      },
    };
  },
};
