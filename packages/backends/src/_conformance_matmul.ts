import * as tf from "@tensorflow/tfjs-core";

type Mat = number[][];
/** A named check: builds tensors and the float64 values they must equal. */
export type CheckCase = [name: string, run: () => [tf.Tensor, number[]][]];

const transpose = (a: Mat): Mat => a[0]!.map((_, j) => a.map((row) => row[j]!));
const matmul = (a: Mat, b: Mat): Mat =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((acc, v, k) => acc + v * b[k]![j]!, 0)));
const randMat = (rows: number, cols: number, rnd: () => number): Mat =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, rnd));
const t3 = (batch: Mat[]) => tf.tensor3d(batch);
const forms: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/**
 * Matmul checks beyond the 2-D ones: batched products in every transpose form,
 * the Llama linear layer `x[B,T,E] · Wᵀ` (rank 3 by a shared rank-2 weight), the
 * reverse broadcast, and gradients of each form. These are the shapes the wasm
 * `BatchMatMul` replacement (native BLAS or explicit transposes) must get right.
 */
export function matmulCases(rnd: () => number): CheckCase[] {
  const [b, m, k, n] = [3, 4, 5, 2];
  const as = Array.from({ length: b }, () => randMat(m, k, rnd));
  const bs = Array.from({ length: b }, () => randMat(k, n, rnd));
  const want = as.flatMap((a, i) => matmul(a, bs[i]!).flat());
  const batched: CheckCase = [
    "batched matmul, all transpose forms",
    () =>
      forms.map(([ta, tb]) => [
        tf.matMul(t3(ta ? as.map(transpose) : as), t3(tb ? bs.map(transpose) : bs), ta, tb),
        want,
      ]),
  ];

  const w = randMat(n, k, rnd); // a linear layer's weight [out, in]
  const linearWant = as.flatMap((a) => matmul(a, transpose(w)).flat());
  const left = randMat(n, m, rnd);
  const leftWant = as.flatMap((a) => matmul(left, a).flat());
  const broadcast: CheckCase = [
    "broadcast matmul (x·Wᵀ and W·x)",
    () => [
      [tf.matMul(t3(as), tf.tensor2d(w), false, true), linearWant],
      [tf.matMul(tf.tensor2d(w), t3(as), false, true), as.flatMap((a) => matmul(w, transpose(a)).flat())],
      [tf.matMul(tf.tensor2d(left), t3(as)), leftWant],
      [tf.matMul(tf.tensor3d([left]), t3(as)), leftWant],
    ],
  ];

  // loss = sum(op(A)·op(B) ⊙ U): dA = U·op(B)ᵀ (transposed back when A was), dB likewise.
  const a2 = randMat(m, k, rnd);
  const b2 = randMat(k, n, rnd);
  const u = randMat(m, n, rnd);
  const dA = matmul(u, transpose(b2));
  const dB = matmul(transpose(a2), u);
  const grads: CheckCase = [
    "matmul gradients, all transpose forms",
    () =>
      forms.flatMap(([ta, tb]) => {
        const f = (x: tf.Tensor, y: tf.Tensor) =>
          tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, ta, tb), tf.tensor2d(u)));
        const [gA, gB] = tf.grads(f)([
          tf.tensor2d(ta ? transpose(a2) : a2),
          tf.tensor2d(tb ? transpose(b2) : b2),
        ]);
        return [
          [gA!, (ta ? transpose(dA) : dA).flat()],
          [gB!, (tb ? transpose(dB) : dB).flat()],
        ] as [tf.Tensor, number[]][];
      }),
  ];

  // Linear layer gradient: y = x·Wᵀ with x [B,m,k], W [n,k]; dW = Σ_b Uᵀ_b · x_b.
  const us = Array.from({ length: b }, () => randMat(m, n, rnd));
  const dW = us
    .map((ub, i) => matmul(transpose(ub), as[i]!))
    .reduce((acc, g) => acc.map((row, r) => row.map((v, c) => v + g[r]![c]!)));
  const dX = us.flatMap((ub) => matmul(ub, w).flat());
  const linearGrad: CheckCase = [
    "linear layer x·Wᵀ gradients",
    () => {
      const f = (x: tf.Tensor, wt: tf.Tensor) =>
        tf.sum(tf.mul(tf.matMul(x as tf.Tensor3D, wt as tf.Tensor2D, false, true), t3(us)));
      const [gx, gw] = tf.grads(f)([t3(as), tf.tensor2d(w)]);
      return [
        [gx!, dX],
        [gw!, dW.flat()],
      ];
    },
  ];
  return [batched, broadcast, grads, linearGrad];
}
