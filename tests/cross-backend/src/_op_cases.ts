import * as tf from "@tensorflow/tfjs-core";
import { selectedLogProbs } from "@wpo/backends";
import { integers, uniform } from "./_random.ts";

/** One op check: builds inputs from host arrays, returns named outputs (forward and gradients). */
export interface OpCase {
  name: string;
  run(): tf.Tensor[];
  /** Output labels, in the order `run` returns them. */
  outputs: string[];
}

const t = (shape: number[], seed: number, scale = 1) =>
  tf.tensor(
    uniform(
      shape.reduce((a, b) => a * b, 1),
      seed,
      scale,
    ),
    shape,
  );

/** value and gradients of Σ f(xs) ⊙ U for a fixed random U. */
function withGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], seed: number): tf.Tensor[] {
  const y = f(...xs);
  const u = t(y.shape, seed);
  const gs = tf.grads((...ins: tf.Tensor[]) => tf.sum(tf.mul(f(...ins), u)))(xs);
  return [y, ...gs];
}

const forms: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

function matmulCase(name: string, aShape: number[], bShape: number[], ta: boolean, tb: boolean): OpCase {
  return {
    name: `${name} ta=${ta} tb=${tb}`,
    outputs: ["y", "da", "db"],
    run: () => withGrads((a, b) => tf.matMul(a!, b!, ta, tb), [t(aShape, 11), t(bShape, 12)], 13),
  };
}

const swap = (s: number[]) => [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!];

/** Matmul in every form and batch/broadcast layout the Llama forward and backward use. */
export function matmulCases(): OpCase[] {
  const cases: OpCase[] = [];
  const layouts: [string, number[], number[]][] = [
    ["2-D", [5, 7], [7, 3]],
    ["batched [B,H,T,d]·[B,H,d,T]", [2, 3, 6, 4], [2, 3, 4, 6]],
    ["linear x[B,T,E]·W[E,F]", [2, 6, 8], [8, 5]],
    ["shared left W[F,E]·x[B,E,T]", [5, 8], [2, 8, 6]],
    ["broadcast [1,H,m,k]·[B,H,k,n]", [1, 3, 4, 5], [2, 3, 5, 2]],
    ["size-1 dims [B,H,1,d]·[B,H,d,1]", [2, 2, 1, 4], [2, 2, 4, 1]],
  ];
  for (const [name, a, b] of layouts) {
    for (const [ta, tb] of forms) cases.push(matmulCase(name, ta ? swap(a) : a, tb ? swap(b) : b, ta, tb));
  }
  return cases;
}

/** Gather/scatter/one-hot/softmax-family ops, including repeated indices and heap-growing outputs. */
export function otherCases(): OpCase[] {
  const ids = integers(40, 21, 9); // many repeats among 9 rows
  return [
    {
      name: "gather rows (embedding) with repeated ids, and its gradient",
      outputs: ["y", "dtable"],
      run: () => withGrads((x) => tf.gather(x!, tf.tensor1d(ids, "int32")), [t([9, 6], 22)], 23),
    },
    {
      name: "unsortedSegmentSum with repeated segment ids",
      outputs: ["y"],
      run: () => [tf.unsortedSegmentSum(t([40, 6], 24), tf.tensor1d(ids, "int32"), 9)],
    },
    {
      name: "unsortedSegmentSum with a multi-megabyte output (may grow the wasm heap)",
      outputs: ["y"],
      run: () => [tf.unsortedSegmentSum(t([40, 4096], 25), tf.tensor1d(integers(40, 26, 200), "int32"), 200)],
    },
    {
      name: "oneHot float32 and int32",
      outputs: ["f32", "i32"],
      run: () => [
        tf.oneHot(tf.tensor1d(ids, "int32"), 9, 1, 0, "float32"),
        tf.cast(tf.oneHot(tf.tensor1d(ids, "int32"), 9), "float32"),
      ],
    },
    {
      name: "scatterND with duplicate indices (sums them)",
      outputs: ["y"],
      run: () => [tf.scatterND(tf.tensor2d(ids, [40, 1], "int32"), t([40, 5], 27), [9, 5])],
    },
    {
      name: "softmax, logSoftmax, logSumExp and gradients",
      outputs: ["softmax", "dsoftmax", "logSoftmax", "dlogSoftmax", "lse", "dlse"],
      run: () => [
        ...withGrads((x) => tf.softmax(x!), [t([7, 33], 28, 4)], 29),
        ...withGrads((x) => tf.logSoftmax(x!), [t([7, 33], 30, 4)], 31),
        ...withGrads((x) => tf.logSumExp(x!, 1), [t([7, 33], 32, 4)], 33),
      ],
    },
    {
      name: "selectedLogProbs (fused log-softmax + gather) and gradient",
      outputs: ["y", "dlogits"],
      run: () =>
        withGrads(
          (x) => selectedLogProbs(x as tf.Tensor2D, tf.tensor1d(integers(7, 34, 33), "int32")),
          [t([7, 33], 35, 4)],
          36,
        ),
    },
    {
      name: "RMSNorm pieces (square, mean, rsqrt) and SiLU with gradients",
      outputs: ["rms", "drms", "dw", "silu", "dsilu"],
      run: () => [
        ...withGrads(
          (x, w) => tf.mul(tf.mul(x!, tf.rsqrt(tf.add(tf.mean(tf.square(x!), -1, true), 1e-5))), w!),
          [t([3, 4, 8], 37), t([8], 38)],
          39,
        ),
        ...withGrads((x) => tf.mul(x!, tf.sigmoid(x!)), [t([3, 4, 8], 40, 3)], 41),
      ],
    },
    {
      name: "masked attention scores: where(mask, s, -1e9) then softmax, gradient",
      outputs: ["p", "ds"],
      run: () => {
        const mask = tf.greater(tf.tensor(uniform(2 * 5 * 5, 42), [2, 1, 5, 5]), -0.3);
        return withGrads(
          (s) => tf.softmax(tf.where(tf.broadcastTo(mask, [2, 2, 5, 5]), s!, tf.fill([2, 2, 5, 5], -1e9))),
          [t([2, 2, 5, 5], 43, 3)],
          44,
        );
      },
    },
  ];
}
