import { describe, expect, it } from "vitest";
import { loadBlas } from "./load_blas.ts";

const softmaxGrad = loadBlas()?.native("softmaxGrad");

describe.skipIf(!softmaxGrad)("native softmaxGrad", () => {
  it.each([
    [1, 1],
    [5, 37],
    [96, 768], // above the threading threshold
  ])("matches dy·y − (Σ dy·y)·y in float64 for %i rows of %i (1e-6 of the terms' size)", (rows, cols) => {
    const y = new Float32Array(rows * cols);
    const dy = Float32Array.from({ length: rows * cols }, (_, i) => Math.cos(i * 0.7) * 2);
    for (let r = 0; r < rows; r++) {
      const e = Array.from({ length: cols }, (_, j) => Math.exp(Math.sin((r * cols + j) * 1.3) * 4));
      const z = e.reduce((a, b) => a + b, 0);
      e.forEach((v, j) => {
        y[r * cols + j] = v / z;
      });
    }
    const dx = new Float32Array(rows * cols);
    softmaxGrad!(y, dy, dx, cols);
    let worst = 0;
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      let dotAbs = 0;
      for (let j = 0; j < cols; j++) {
        dot += dy[r * cols + j]! * y[r * cols + j]!;
        dotAbs += Math.abs(dy[r * cols + j]! * y[r * cols + j]!);
      }
      for (let j = 0; j < cols; j++) {
        const i = r * cols + j;
        const want = dy[i]! * y[i]! - dot * y[i]!;
        // relative to the terms' size (float32 rounding of dy·y and of the row sum Σ|dy·y|, which both cancel)
        const scale = Math.abs(dy[i]! * y[i]!) + dotAbs * Math.abs(y[i]!);
        worst = Math.max(worst, Math.abs(dx[i]! - want) / Math.max(1e-30, scale));
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it("rejects wrong arrays and sizes with TypeError / RangeError", () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => softmaxGrad!(f(4), f(4), new Float64Array(4) as never, 2)).toThrow(TypeError);
    expect(() => softmaxGrad!(f(4), f(4), f(3), 2)).toThrow(RangeError);
    expect(() => softmaxGrad!(f(4), f(4), f(4), 3)).toThrow(RangeError);
    expect(() => softmaxGrad!(f(4), f(4), f(4), 0)).toThrow(RangeError);
  });
});

const maskedSoftmax = loadBlas()?.native("maskedSoftmax");

describe.skipIf(!maskedSoftmax)("native maskedSoftmax", () => {
  it.each([
    [1, 1, 1, 1],
    [2, 8, 4, 37], // 2 items of 8 rows (4 query rows repeated twice), L not a multiple of 16
    [3, 96, 96, 300], // above the threading threshold
  ])("matches softmax(x·scale + bias) in float64: %i items x %i rows, bias rows %i, L=%i", (items, rows, q, l) => {
    const scale = 0.125;
    const x = Float32Array.from({ length: items * rows * l }, (_, i) => Math.sin(i * 0.9) * 30);
    for (const biasItems of [1, items]) {
      const bias = Float32Array.from({ length: biasItems * q * l }, (_, i) =>
        Math.cos(i * 2.1) > 0.4 ? -1e9 : 0,
      );
      const y = new Float32Array(x.length);
      maskedSoftmax!(x, bias, y, l, scale, rows, q, biasItems);
      let worst = 0;
      for (let r = 0; r < items * rows; r++) {
        const brow = (Math.floor(r / rows) % biasItems) * q + (r % q);
        const z = Array.from(
          { length: l },
          (_, j) => Math.fround(x[r * l + j]! * scale) + bias[brow * l + j]!,
        );
        const m = Math.max(...z);
        const e = z.map((v) => Math.exp(v - m));
        const s = e.reduce((a, b) => a + b, 0);
        e.forEach((v, j) => {
          worst = Math.max(worst, Math.abs(y[r * l + j]! - v / s) / Math.max(1e-30, v / s));
        });
      }
      expect(worst, `bias items ${biasItems}`).toBeLessThan(2e-6);
    }
  });

  it("rejects wrong arrays and inconsistent sizes with TypeError / RangeError", () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => maskedSoftmax!(f(8), new Int32Array(4) as never, f(8), 4, 1, 2, 1, 1)).toThrow(TypeError);
    expect(() => maskedSoftmax!(f(8), f(8), f(8), 4, 1, 2, 1, 1)).toThrow(RangeError); // bias must be 1 x 1 x 4
    expect(() => maskedSoftmax!(f(8), f(12), f(8), 4, 1, 2, 3, 1)).toThrow(RangeError); // 2 rows: not a multiple of 3
    expect(() => maskedSoftmax!(f(8), f(4), f(7), 4, 1, 2, 1, 1)).toThrow(RangeError);
  });
});
