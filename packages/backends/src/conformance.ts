import * as tf from "@tensorflow/tfjs-core";
import { fusedKernelCases } from "./_conformance_fused.ts";
import { matmulCases } from "./_conformance_matmul.ts";
import { selectedLogProbs } from "./selected_log_probs.ts";

/** The outcome of one conformance check on the active backend. */
export interface ConformanceResult {
  /** Check name, e.g. "matmul transposeB". */
  check: string;
  /** Largest |got - expected| / max(1, |expected|) over all outputs of the check. */
  maxError: number;
  /** Whether `maxError` is within the tolerance. */
  passed: boolean;
}

type Mat = number[][];

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}
const randMat = (rows: number, cols: number, rnd: () => number): Mat =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, rnd));
const transpose = (a: Mat): Mat => a[0]!.map((_, j) => a.map((row) => row[j]!));
const matmul = (a: Mat, b: Mat): Mat =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((acc, v, k) => acc + v * b[k]![j]!, 0)));

function compare(got: ArrayLike<number>, want: number[]): number {
  if (got.length !== want.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!));
    worst = Number.isNaN(e) ? Number.POSITIVE_INFINITY : Math.max(worst, e);
  }
  return worst;
}

async function check(
  name: string,
  tol: number,
  run: () => [tf.Tensor, number[]][],
): Promise<ConformanceResult> {
  const pairs = tf.tidy(() => run().map(([t, w]) => [tf.keep(t), w] as const));
  let maxError = 0;
  for (const [t, want] of pairs) {
    maxError = Math.max(maxError, compare(await t.data(), want));
    t.dispose();
  }
  return { check: name, maxError, passed: maxError <= tol };
}

/**
 * Runs the same small numeric checks on whichever backend is active: matmul (all
 * transpose forms, batched, broadcast, and their gradients), softmax, log-softmax + gather, gather and its gradient (the
 * embedding path, which needs `UnsortedSegmentSum`), and a tiny two-layer
 * forward + backward. Expected values are computed in float64 JavaScript.
 *
 * @param tolerance Largest accepted relative error. Default 1e-4.
 * @returns One result per check.
 *
 * @example
 * ```ts
 * import { initBackend, runConformance } from "@wpo/backends";
 * await initBackend("cpu");
 * const results = await runConformance();
 * console.assert(results.every((r) => r.passed));
 * ```
 */
export async function runConformance(tolerance = 1e-4): Promise<ConformanceResult[]> {
  const rnd = seeded(7);
  const a = randMat(5, 7, rnd);
  const b = randMat(7, 4, rnd);
  const want = matmul(a, b).flat();
  const results: ConformanceResult[] = [];
  results.push(await check("matmul", tolerance, () => [[tf.matMul(tf.tensor2d(a), tf.tensor2d(b)), want]]));
  results.push(
    await check("matmul transposeA", tolerance, () => [
      [tf.matMul(tf.tensor2d(transpose(a)), tf.tensor2d(b), true, false), want],
    ]),
  );
  results.push(
    await check("matmul transposeB", tolerance, () => [
      [tf.matMul(tf.tensor2d(a), tf.tensor2d(transpose(b)), false, true), want],
    ]),
  );

  const logits = randMat(3, 11, () => rnd() * 8);
  const softmaxRows = logits.map((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const z = e.reduce((x, y) => x + y, 0);
    return e.map((v) => v / z);
  });
  results.push(
    await check("softmax", tolerance, () => [[tf.softmax(tf.tensor2d(logits)), softmaxRows.flat()]]),
  );
  results.push(
    await check("softmax gradient (rows of 11 and of 40, a fused kernel where registered)", tolerance, () => {
      const wide = randMat(2, 40, () => rnd() * 6);
      return [logits, wide].map((x) => {
        const r = randMat(x.length, x[0]!.length, rnd);
        // d/dx Σ softmax(x)·r = y·(r − Σ y·r) per row
        const want = x.flatMap((row, i) => {
          const m = Math.max(...row);
          const e = row.map((v) => Math.exp(v - m));
          const z = e.reduce((a, b) => a + b, 0);
          const y = e.map((v) => v / z);
          const dot = y.reduce((a, yv, j) => a + yv * r[i]![j]!, 0);
          return y.map((yv, j) => yv * (r[i]![j]! - dot));
        });
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), tf.tensor2d(r))))(tf.tensor2d(x));
        return [g, want] as [tf.Tensor, number[]];
      });
    }),
  );
  const targets = [3, 0, 10];
  results.push(
    await check("logSoftmax + gather", tolerance, () => {
      const lp = tf.logSoftmax(tf.tensor2d(logits));
      const picked = tf.sum(tf.mul(lp, tf.oneHot(tf.tensor1d(targets, "int32"), 11)), 1);
      return [[picked, targets.map((t, i) => Math.log(softmaxRows[i]![t]!))]];
    }),
  );

  results.push(
    await check("oneHot float32", tolerance, () => [
      [
        tf.oneHot(tf.tensor1d(targets, "int32"), 11, 1, 0, "float32"),
        targets.flatMap((t) => Array.from({ length: 11 }, (_, j) => (j === t ? 1 : 0))),
      ],
    ]),
  );
  results.push(
    await check("selectedLogProbs + gradient", tolerance, () => {
      const x = tf.tensor2d(logits);
      const up = [0.5, -1, 2];
      const g = tf.grad((t: tf.Tensor) =>
        tf.sum(tf.mul(selectedLogProbs(t as tf.Tensor2D, tf.tensor1d(targets, "int32")), up)),
      )(x);
      const want = softmaxRows.flatMap((row, i) =>
        row.map((p, j) => up[i]! * ((j === targets[i] ? 1 : 0) - p)),
      );
      return [
        [
          selectedLogProbs(x, tf.tensor1d(targets, "int32")),
          targets.map((t, i) => Math.log(softmaxRows[i]![t]!)),
        ],
        [g, want],
      ];
    }),
  );

  // LM-head log-probs (the kernels @wpo/losses' chunked path runs): logits = H·Wᵀ, log softmax(logits)[y],
  // gradients for H and W, and scatterND of rows into their target rows (repeats summed).
  const hid = randMat(3, 2, rnd);
  const lmW = randMat(4, 2, rnd);
  const ys = [3, 0, 3]; // a repeated target: scatterND and the gradient must sum it
  const lmLogits = matmul(hid, transpose(lmW));
  const probs = lmLogits.map((row) => {
    const m = Math.max(...row);
    const e = row.map((x) => Math.exp(x - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / z);
  });
  const dLogits = probs.map((row, i) => row.map((p, j) => (j === ys[i] ? 1 : 0) - p));
  results.push(
    await check("LM-head log-probs (H·Wᵀ) + gradients, scatterND rows", tolerance, () => {
      const f = (h: tf.Tensor, w: tf.Tensor) =>
        tf.sum(selectedLogProbs(tf.matMul(h, w, false, true) as tf.Tensor2D, tf.tensor1d(ys, "int32")));
      const [gh, gw] = tf.grads(f)([tf.tensor2d(hid), tf.tensor2d(lmW)]);
      const scattered = lmW.map((_, v) =>
        [0, 1].map((j) => ys.reduce((a, y, i) => a + (y === v ? hid[i]![j]! : 0), 0)),
      );
      return [
        [f(tf.tensor2d(hid), tf.tensor2d(lmW)), [ys.reduce((a, y, i) => a + Math.log(probs[i]![y]!), 0)]],
        [gh!, matmul(dLogits, lmW).flat()],
        [gw!, matmul(transpose(dLogits), hid).flat()],
        [
          tf.scatterND(
            tf.tensor2d(
              ys.map((y) => [y]),
              [3, 1],
              "int32",
            ),
            tf.tensor2d(hid),
            [4, 2],
          ),
          scattered.flat(),
        ],
      ];
    }),
  );
  results.push(
    await check("tile", tolerance, () => {
      const base = [
        [1, 2, 3],
        [4, 5, 6],
      ];
      const tiled2 = [0, 1, 2, 3].flatMap((r) => [0, 1].flatMap(() => base[r % 2]!));
      return [
        [tf.tile(tf.tensor2d(base), [2, 2]), tiled2],
        [tf.tile(tf.tensor3d([base]), [2, 1, 1]), [...base.flat(), ...base.flat()]],
        [tf.tile(tf.tensor1d([7, 8]), [3]), [7, 8, 7, 8, 7, 8]],
        [tf.tile(tf.tensor4d([[base]]), [1, 1, 3, 1]), [0, 1, 2].flatMap(() => base.flat())],
      ];
    }),
  );
  results.push(
    await check("add/sub/mul/div in every broadcast layout", tolerance, () => {
      const f = Math.fround;
      const ops: [(a: tf.Tensor, b: tf.Tensor) => tf.Tensor, (x: number, y: number) => number][] = [
        [tf.add, (x, y) => f(x + y)],
        [tf.sub, (x, y) => f(x - y)],
        [tf.mul, (x, y) => f(x * y)],
        [tf.div, (x, y) => f(x / y)],
      ];
      const vals = (n: number, off: number) =>
        Array.from({ length: n }, (_, i) => f(((i * 37 + off) % 11) - 5.5));
      // [a shape, b shape, index of a, index of b for output element i of shape out]
      const big = 70000; // above the threading threshold
      const layouts: [number[], number[], number[], (i: number) => [number, number]][] = [
        [[2, 3], [2, 3], [2, 3], (i) => [i, i]],
        [[2, 3], [], [2, 3], (i) => [i, 0]],
        [[], [2, 3], [2, 3], (i) => [0, i]],
        [[2, 2, 3], [3], [2, 2, 3], (i) => [i, i % 3]],
        [[1, 1, 3], [2, 2, 3], [2, 2, 3], (i) => [i % 3, i]],
        [[2, 2, 3], [2, 2, 1], [2, 2, 3], (i) => [i, Math.floor(i / 3)]],
        [[2, 1], [2, 3], [2, 3], (i) => [Math.floor(i / 3), i]],
        [[2, 1], [1, 3], [2, 3], (i) => [Math.floor(i / 3), i % 3]], // both broadcast: the stock kernel
        [[big], [big], [big], (i) => [i, i]],
        [[big / 4, 4], [4], [big / 4, 4], (i) => [i, i % 4]],
      ];
      return ops.flatMap(([op, ref]) =>
        layouts.map(([sa, sb, so, idx]): [tf.Tensor, number[]] => {
          const a = vals(
            sa.reduce((x, y) => x * y, 1),
            1,
          );
          const b = vals(
            sb.reduce((x, y) => x * y, 1),
            4,
          );
          const n = so.reduce((x, y) => x * y, 1);
          const want = Array.from({ length: n }, (_, i) => {
            const [ia, ib] = idx(i);
            return ref(a[ia]!, b[ib]!);
          });
          return [op(tf.tensor(a, sa), tf.tensor(b, sb)), want];
        }),
      );
    }),
  );
  results.push(
    await check("sqrt", tolerance, () => {
      const xs = [0, 1, 2, 1e-30, 3e38, 0.25, 7, 1234.5];
      return [[tf.sqrt(tf.tensor1d(xs)), xs.map((v) => Math.fround(Math.sqrt(v)))]];
    }),
  );
  for (const [name, run] of fusedKernelCases(rnd, logits)) results.push(await check(name, tolerance, run));
  results.push(
    await check("slice (contiguous blocks, columns, 3-D and 4-D windows, int32)", tolerance, () => {
      const shape = [3, 4, 5, 6];
      const vals = Array.from({ length: 360 }, (_, i) => i);
      const x = tf.tensor4d(vals, shape as [number, number, number, number]);
      const at = (i: number, j: number, k: number, l: number) => ((i * 4 + j) * 5 + k) * 6 + l;
      const window = (b: number[], s: number[]) => {
        const outVals: number[] = [];
        for (let i = b[0]!; i < b[0]! + s[0]!; i++)
          for (let j = b[1]!; j < b[1]! + s[1]!; j++)
            for (let k = b[2]!; k < b[2]! + s[2]!; k++)
              for (let l = b[3]!; l < b[3]! + s[3]!; l++) outVals.push(at(i, j, k, l));
        return outVals;
      };
      const cases: [number[], number[]][] = [
        [
          [1, 0, 0, 0],
          [2, 4, 5, 6],
        ], // contiguous
        [
          [0, 0, 0, 2],
          [3, 4, 5, 1],
        ], // one column
        [
          [1, 1, 2, 0],
          [2, 2, 3, 6],
        ], // whole rows of an inner window
        [
          [2, 3, 1, 1],
          [1, 1, 4, 5],
        ],
      ];
      const out: [tf.Tensor, number[]][] = cases.map(([b, s]) => [tf.slice(x, b, s), window(b, s)]);
      const m = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], "int32");
      out.push([tf.cast(tf.slice(m, [0, 1], [2, 2]), "float32"), [2, 3, 5, 6]]);
      return out;
    }),
  );
  results.push(
    await check("transpose (identity shares the buffer, general permutes)", tolerance, () => {
      const m = [
        [1, 2, 3],
        [4, 5, 6],
      ];
      const x3 = tf.tensor3d([m, m.map((r) => r.map((v) => -v))]);
      return [
        [tf.transpose(tf.tensor2d(m), [0, 1]), m.flat()],
        [tf.transpose(tf.tensor2d(m), [1, 0]), transpose(m).flat()],
        [tf.add(tf.transpose(x3, [0, 1, 2]), 0), [...m.flat(), ...m.flat().map((v) => -v)]],
        [tf.transpose(x3, [1, 0, 2]), [1, 2, 3, -1, -2, -3, 4, 5, 6, -4, -5, -6]],
      ];
    }),
  );
  results.push(
    await check("clone isolation (shared buffers)", tolerance, () => {
      const v = tf.variable(tf.tensor1d([1, 2, 3]));
      const c = tf.clone(v);
      const saved = tf.grad((t: tf.Tensor) => tf.sum(tf.square(t)))(v);
      v.assign(tf.tensor1d([7, 8, 9]));
      const afterAssign = tf.clone(v);
      v.dispose();
      return [
        [c, [1, 2, 3]],
        [saved, [2, 4, 6]],
        [afterAssign, [7, 8, 9]],
      ];
    }),
  );

  const table = randMat(6, 3, rnd);
  const ids = [0, 2, 2, 5];
  const upstream = randMat(4, 3, rnd);
  const tableGrad = table.map(() => [0, 0, 0]);
  for (const [r, id] of ids.entries()) {
    for (const [c, g] of upstream[r]!.entries()) tableGrad[id]![c]! += g;
  }
  results.push(
    await check("gather + gradient", tolerance, () => {
      const idx = tf.tensor1d(ids, "int32");
      const up = tf.tensor2d(upstream);
      const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), up));
      const g = tf.grad(f)(tf.tensor2d(table));
      return [
        [tf.gather(tf.tensor2d(table), idx), ids.flatMap((id) => table[id]!)],
        [g, tableGrad.flat()],
        // inner axis, 2-D indices, int32 values (wasm copies whole slices)
        [
          tf.gather(tf.tensor2d(table), tf.tensor1d([2, 0], "int32"), 1),
          table.flatMap((row) => [row[2]!, row[0]!]),
        ],
        [
          tf.gather(
            tf.tensor2d(table),
            tf.tensor2d(
              [
                [1, 5],
                [0, 0],
              ],
              [2, 2],
              "int32",
            ),
          ),
          [1, 5, 0, 0].flatMap((id) => table[id]!),
        ],
        [tf.gather(tf.tensor1d([7, 8, 9], "int32"), tf.tensor1d([2, 2, 0], "int32")), [9, 9, 7]],
      ];
    }),
  );

  // y = x W1 W2, loss = mean((y - t)^2): forward and gradients w.r.t. W1 and W2.
  const x = randMat(4, 3, rnd);
  const w1 = randMat(3, 5, rnd);
  const w2 = randMat(5, 2, rnd);
  const t = randMat(4, 2, rnd);
  const h = matmul(x, w1);
  const y = matmul(h, w2);
  const n = 8;
  const dy = y.map((row, i) => row.map((v, j) => (2 * (v - t[i]![j]!)) / n));
  const loss = y.flat().reduce((acc, v, i) => acc + (v - t.flat()[i]!) ** 2, 0) / n;
  const dw2 = matmul(transpose(h), dy);
  const dw1 = matmul(transpose(x), matmul(dy, transpose(w2)));
  results.push(
    await check("tiny forward + backward", tolerance, () => {
      const X = tf.tensor2d(x);
      const T = tf.tensor2d(t);
      const f = (W1: tf.Tensor, W2: tf.Tensor) =>
        tf.mean(tf.square(tf.sub(tf.matMul(tf.matMul(X, W1 as tf.Tensor2D), W2 as tf.Tensor2D), T)));
      const { value, grads } = tf.valueAndGrads(f)([tf.tensor2d(w1), tf.tensor2d(w2)]);
      return [
        [value, [loss]],
        [grads[0]!, dw1.flat()],
        [grads[1]!, dw2.flat()],
      ];
    }),
  );
  for (const [name, run] of matmulCases(rnd)) results.push(await check(name, tolerance, run));
  return results;
}
