import * as tf from "@tensorflow/tfjs-core";
import type { CheckCase } from "./_conformance_matmul.ts";
import {
  ADAMW_UPDATE_KERNEL,
  LOGIT_ROW_STATS_KERNEL,
  MASKED_SOFTMAX_KERNEL,
  RMS_NORM_GRAD_KERNEL,
  RMS_NORM_KERNEL,
  ROPE_KERNEL,
  SWIGLU_GRAD_KERNEL,
  SWIGLU_KERNEL,
} from "@wpo/kernels";

type Mat = number[][];
const randMat = (rows: number, cols: number, rnd: () => number): Mat =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, rnd));
const registered = (...names: string[]) => names.every((n) => tf.getKernel(n, tf.getBackend()) !== undefined);

/**
 * Checks of the fused kernels the active backend registers (wasm with the native `@wpo/blas` addon), each
 * against float64 JavaScript (none where a backend registers none). `logits` are the [3, 11] rows of the
 * softmax checks.
 */
export function fusedKernelCases(rnd: () => number, logits: Mat): CheckCase[] {
  const cases: CheckCase[] = [];
  if (registered(ADAMW_UPDATE_KERNEL)) {
    cases.push([
      "fused AdamW update (where registered)",
      () => {
        const p = [0.5, -1, 2, 0];
        const g = [0.1, -0.2, 0, 3];
        const m = [0.01, 0, -0.3, 1];
        const v = [0.04, 1e-6, 0.5, 2];
        const a = {
          decay: 0.999,
          beta1: 0.9,
          beta2: 0.999,
          bc2Sqrt: Math.sqrt(1 - 0.999 ** 2),
          eps: 1e-8,
          stepSize: 0.01 / (1 - 0.9 ** 2),
        };
        const m1 = m.map((x, i) => x * a.beta1 + g[i]! * (1 - a.beta1));
        const v1 = v.map((x, i) => x * a.beta2 + g[i]! * g[i]! * (1 - a.beta2));
        const p1 = p.map(
          (x, i) => x * a.decay - (a.stepSize * m1[i]!) / (Math.sqrt(v1[i]!) / a.bc2Sqrt + a.eps),
        );
        const t = (xs: number[]) => tf.tensor1d(xs);
        const out = tf
          .engine()
          .runKernel(ADAMW_UPDATE_KERNEL, { param: t(p), grad: t(g), m: t(m), v: t(v) }, a as never);
        const [op, om, ov] = out as unknown as tf.Tensor[];
        return [
          [op!, p1],
          [om!, m1],
          [ov!, v1],
        ];
      },
    ]);
  }
  if (registered(LOGIT_ROW_STATS_KERNEL)) {
    cases.push([
      "fused logits row statistics (where registered)",
      () => {
        const rows = [
          logits[0]!,
          logits[1]!.map((x) => x * 30),
          Array.from({ length: 37 }, (_, j) => j - 20),
        ];
        const cases = rows.map((row) => {
          const m = Math.max(...row);
          const s = row.reduce((a, x) => a + Math.exp(x - m), 0);
          const p = row.map((x) => Math.exp(x - m) / s);
          return {
            row,
            p,
            stats: [
              m + Math.log(s),
              row.reduce((a, x) => a + x, 0),
              -Math.log(s),
              Math.log(p.reduce((a, q) => a + q * q, 0)),
            ],
          };
        });
        return cases.flatMap(({ row, p, stats }) => {
          const out = tf.engine().runKernel(LOGIT_ROW_STATS_KERNEL, { logits: tf.tensor2d([row]) }, {});
          const [probs, ...st] = out as unknown as tf.Tensor[];
          return [
            [probs!, p] as [tf.Tensor, number[]],
            ...st.map((t, k) => [t, [stats[k]!]] as [tf.Tensor, number[]]),
          ];
        });
      },
    ]);
  }
  if (registered(MASKED_SOFTMAX_KERNEL)) {
    cases.push([
      "fused attention softmax (where registered)",
      () => {
        // x [B=2, H=2, R=4, L=19] against bias [Bb, 1, Q=2, L]: each query row repeats for 2 grouped heads
        const [b, h, r, q, l, scale] = [2, 2, 4, 2, 19, 0.125];
        const x = randMat(b * h * r, l, () => rnd() * 40);
        return [1, 2].map((bb) => {
          const bias = randMat(bb * q, l, () => (rnd() > 0.3 ? 0 : -1e9));
          const want = x.flatMap((row, i) => {
            const brow = (Math.floor(i / (h * r)) % bb) * q + (i % q);
            const z = row.map((v, j) => v * scale + bias[brow]![j]!);
            const m = Math.max(...z);
            const e = z.map((v) => Math.exp(v - m));
            const sum = e.reduce((a, c) => a + c, 0);
            return e.map((v) => v / sum);
          });
          const out = tf
            .engine()
            .runKernel(
              MASKED_SOFTMAX_KERNEL,
              { x: tf.tensor4d(x.flat(), [b, h, r, l]), bias: tf.tensor4d(bias.flat(), [bb, 1, q, l]) },
              { scale },
            );
          return [out as unknown as tf.Tensor, want] as [tf.Tensor, number[]];
        });
      },
    ]);
  }
  if (registered(ROPE_KERNEL)) {
    cases.push([
      "fused rotary embedding and its transpose (where registered)",
      () => {
        // x [B=2, H=3, T=4, d=6] with tables [Tb, 1, 4, 6]; forward x·cos + rotate_half(x)·sin, inverse its transpose
        const [b, h, t, d] = [2, 3, 4, 6];
        const half = d / 2;
        const x = randMat(b * h * t, d, rnd);
        return [1, 2].flatMap((tb) => {
          const cos = randMat(tb * t, d, rnd);
          const sin = randMat(tb * t, d, rnd);
          const expect = (inverse: boolean) =>
            x.flatMap((row, r) => {
              const k = (Math.floor(r / (h * t)) % tb) * t + (r % t);
              const [c, s] = [cos[k]!, sin[k]!];
              return row.map((v, i) => {
                if (!inverse)
                  return i < half ? v * c[i]! - row[i + half]! * s[i]! : v * c[i]! + row[i - half]! * s[i]!;
                return i < half
                  ? v * c[i]! + row[i + half]! * s[i + half]!
                  : v * c[i]! - row[i - half]! * s[i - half]!;
              });
            });
          const inputs = {
            x: tf.tensor4d(x.flat(), [b, h, t, d]),
            cos: tf.tensor4d(cos.flat(), [tb, 1, t, d]),
            sin: tf.tensor4d(sin.flat(), [tb, 1, t, d]),
          };
          return [false, true].map(
            (inverse) =>
              [
                tf.engine().runKernel(ROPE_KERNEL, inputs, { inverse }) as unknown as tf.Tensor,
                expect(inverse),
              ] as [tf.Tensor, number[]],
          );
        });
      },
    ]);
  }
  if (registered(RMS_NORM_KERNEL, RMS_NORM_GRAD_KERNEL)) {
    cases.push([
      "fused RMSNorm and its gradient (where registered)",
      () => {
        const [rows, e, eps] = [5, 24, 1e-5];
        const x = randMat(rows, e, () => rnd() * 4);
        const dy = randMat(rows, e, rnd);
        const w = randMat(1, e, () => 1 + rnd())[0]!;
        const out: number[] = [];
        const dx: number[] = [];
        const dw = new Array<number>(e).fill(0);
        x.forEach((row, i) => {
          const r = 1 / Math.sqrt(row.reduce((a, v) => a + v * v, 0) / e + eps);
          const xhat = row.map((v) => v * r);
          const g = dy[i]!.map((v, j) => v * w[j]!);
          const dot = g.reduce((a, v, j) => a + v * xhat[j]!, 0) / e;
          xhat.forEach((v, j) => {
            out.push(w[j]! * v);
            dx.push(r * (g[j]! - v * dot));
            dw[j]! += dy[i]![j]! * v;
          });
        });
        const t = (m: number[][]) => tf.tensor2d(m);
        const y = tf.engine().runKernel(RMS_NORM_KERNEL, { x: t(x), weight: tf.tensor1d(w) }, { eps });
        const grads = tf
          .engine()
          .runKernel(RMS_NORM_GRAD_KERNEL, { dy: t(dy), x: t(x), weight: tf.tensor1d(w) }, { eps });
        const [gx, gw] = grads as unknown as tf.Tensor[];
        return [
          [y as unknown as tf.Tensor, out],
          [gx!, dx],
          [gw!, dw],
        ];
      },
    ]);
  }
  if (registered(SWIGLU_KERNEL, SWIGLU_GRAD_KERNEL)) {
    cases.push([
      "fused SwiGLU and its gradient (where registered)",
      () => {
        const g = [-100, -20, -3, -0.5, 0, 0.25, 1, 4, 30, 100];
        const u = g.map((_, i) => rnd() * 3 + (i % 2));
        const dy = g.map(() => rnd());
        const sig = (x: number) => 1 / (1 + Math.exp(-x));
        const out = g.map((x, i) => x * sig(x) * u[i]!);
        const dGate = g.map((x, i) => dy[i]! * u[i]! * sig(x) * (1 + x * (1 - sig(x))));
        const dUp = g.map((x, i) => dy[i]! * x * sig(x));
        const t = (v: number[]) => tf.tensor1d(v);
        const y = tf.engine().runKernel(SWIGLU_KERNEL, { gate: t(g), up: t(u) }, {});
        const grads = tf.engine().runKernel(SWIGLU_GRAD_KERNEL, { dy: t(dy), gate: t(g), up: t(u) }, {});
        const [dg, du] = grads as unknown as tf.Tensor[];
        return [
          [y as unknown as tf.Tensor, out],
          [dg!, dGate],
          [du!, dUp],
        ];
      },
    ]);
  }
  return cases;
}
