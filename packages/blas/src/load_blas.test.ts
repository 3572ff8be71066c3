import { describe, expect, it } from "vitest";
import { loadBlas } from "./load_blas.ts";

function reference(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
  ta: boolean,
  tb: boolean,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ta ? p * m + i : i * k + p]! * b[tb ? j * k + p : p * n + j]!;
      c[i * n + j] = s;
    }
  return c;
}

function rand(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

const blas = loadBlas();

describe.skipIf(!blas)("native sgemm", () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])("matches float64 for transA=%s transB=%s", (ta, tb) => {
    const [m, n, k] = [5, 7, 9];
    const a = rand(m * k, 1);
    const b = rand(k * n, 2);
    const c = new Float32Array(m * n);
    blas!.sgemm({ transA: ta, transB: tb, m, n, k, a, b, c });
    const want = reference(a, b, m, n, k, ta, tb);
    for (let i = 0; i < c.length; i++) expect(c[i]).toBeCloseTo(want[i]!, 5);
  });

  it("runs strided batches, broadcasting with stride 0, on views with an offset", () => {
    const [m, n, k, batch] = [3, 4, 2, 3];
    const heap = new Float32Array(100);
    const a = new Float32Array(heap.buffer, 4 * 8, batch * m * k);
    a.set(rand(batch * m * k, 3));
    const b = rand(k * n, 4);
    const c = new Float32Array(heap.buffer, 4 * 60, batch * m * n);
    blas!.sgemm({ transA: false, transB: false, m, n, k, a, b, c, batch, strideB: 0 });
    for (let i = 0; i < batch; i++) {
      const want = reference(a.subarray(i * m * k), b, m, n, k, false, false);
      for (let j = 0; j < m * n; j++) expect(c[i * m * n + j]).toBeCloseTo(want[j]!, 5);
    }
  });

  it("rejects operands smaller than the sizes imply", () => {
    const c = new Float32Array(4);
    expect(() =>
      blas!.sgemm({
        transA: false,
        transB: false,
        m: 2,
        n: 2,
        k: 3,
        a: new Float32Array(5),
        b: new Float32Array(6),
        c,
      }),
    ).toThrow(RangeError);
    expect(() =>
      blas!.sgemm({
        transA: false,
        transB: false,
        m: 2,
        n: 2,
        k: 1,
        a: [1, 2] as never,
        b: new Float32Array(2),
        c,
      }),
    ).toThrow(TypeError);
  });

  it("reports its thread count and build", () => {
    expect(blas!.threads()).toBeGreaterThanOrEqual(1);
    expect(blas!.config).toMatch(/OpenBLAS/);
  });
});

describe.skipIf(!blas)("native sqrt", () => {
  it("equals Math.fround(Math.sqrt(x)) exactly, in place too; rejects mismatched arrays", () => {
    const x = Float32Array.from([0, 1, 2, 1e-30, 3.4e38, 0.25, 7, Number.POSITIVE_INFINITY, -1]);
    const out = new Float32Array(x.length);
    blas!.sqrt(x, out);
    expect(Array.from(out)).toEqual(Array.from(x, (v) => Math.fround(Math.sqrt(v))));
    const y = x.slice();
    blas!.sqrt(y, y);
    expect(Array.from(y)).toEqual(Array.from(out));
    expect(() => blas!.sqrt(x, new Float32Array(2))).toThrow(RangeError);
    expect(() => blas!.sqrt(new Float64Array(2) as unknown as Float32Array, new Float32Array(2))).toThrow(
      TypeError,
    );
  });
});

describe.skipIf(!blas?.binary)("native element-wise binary ops", () => {
  const f = Math.fround;
  const apply = {
    add: (x: number, y: number) => f(x + y),
    sub: (x: number, y: number) => f(x - y),
    mul: (x: number, y: number) => f(x * y),
    div: (x: number, y: number) => f(x / y),
  };
  it.each([
    "add",
    "sub",
    "mul",
    "div",
  ] as const)("%s equals float32 arithmetic in every layout, threaded sizes too", (op) => {
    for (const n of [12, 3 * 65536]) {
      const a = rand(n, 5);
      const b = rand(n, 6).map((v) => v + 2);
      const p = 4;
      const cases: [
        import("./load_blas.ts").BinaryMode,
        Float32Array,
        Float32Array,
        (i: number) => number,
      ][] = [
        ["same", a, b, (i) => apply[op](a[i]!, b[i]!)],
        ["bScalar", a, b.subarray(0, 1), (i) => apply[op](a[i]!, b[0]!)],
        ["aScalar", a.subarray(0, 1), b, (i) => apply[op](a[0]!, b[i]!)],
        ["bRepeats", a, b.subarray(0, p), (i) => apply[op](a[i]!, b[i % p]!)],
        ["aRepeats", a.subarray(0, p), b, (i) => apply[op](a[i % p]!, b[i]!)],
        ["bPerRow", a, b.subarray(0, n / p), (i) => apply[op](a[i]!, b[Math.floor(i / p)]!)],
        ["aPerRow", a.subarray(0, n / p), b, (i) => apply[op](a[Math.floor(i / p)]!, b[i]!)],
      ];
      for (const [mode, x, y, want] of cases) {
        const out = new Float32Array(n);
        blas!.binary!({ op, mode, a: x, b: y, out, param: p });
        for (let i = 0; i < n; i += n > 100 ? 997 : 1) expect(out[i]).toBe(want(i));
      }
    }
  });

  it("rejects lengths that do not fit the mode", () => {
    const out = new Float32Array(8);
    expect(() =>
      blas!.binary!({ op: "add", mode: "same", a: new Float32Array(8), b: new Float32Array(7), out }),
    ).toThrow(RangeError);
    expect(() =>
      blas!.binary!({
        op: "add",
        mode: "bRepeats",
        a: new Float32Array(8),
        b: new Float32Array(3),
        out,
        param: 3,
      }),
    ).toThrow(RangeError);
    expect(() => blas!.binary!({ op: "pow" as "add", mode: "same", a: out, b: out, out })).toThrow(
      RangeError,
    );
  });
});

describe.skipIf(!blas?.adamw)("native fused AdamW", () => {
  const f = Math.fround;
  it("rounds every float32 operation as the op-by-op update does (bit-identical), in place too", () => {
    const n = 70_000; // above the OpenMP threshold
    const rand = (seed: number) =>
      Float32Array.from({ length: n }, (_, i) => f(Math.sin(i * 12.9898 + seed) * 3));
    const [param, grad, m] = [rand(1), rand(2), rand(3)];
    const v = rand(4).map((x) => x * x);
    const s = {
      decay: 1 - 1e-3 * 0.01,
      beta1: 0.9,
      beta2: 0.999,
      bc2Sqrt: Math.sqrt(1 - 0.999 ** 3),
      eps: 1e-8,
    };
    const stepSize = 1e-3 / (1 - 0.9 ** 3);
    const [decay, b1, omb1, b2, omb2, bc2, eps, nstep] = [
      s.decay,
      s.beta1,
      1 - s.beta1,
      s.beta2,
      1 - s.beta2,
      s.bc2Sqrt,
      s.eps,
      -stepSize,
    ].map(f) as number[];
    const want = { p: new Float32Array(n), m: new Float32Array(n), v: new Float32Array(n) };
    for (let i = 0; i < n; i++) {
      const g = grad[i]!;
      const m1 = f(f(m[i]! * b1!) + f(g * omb1!));
      const v1 = f(f(v[i]! * b2!) + f(f(g * omb2!) * g));
      const denom = f(f(f(Math.sqrt(v1)) / bc2!) + eps!);
      want.p[i] = f(f(param[i]! * decay!) + f(f(m1 * nstep!) / denom));
      want.m[i] = m1;
      want.v[i] = v1;
    }
    const out = { p: new Float32Array(n), m: new Float32Array(n), v: new Float32Array(n) };
    blas!.adamw!({ param, grad, m, v, outParam: out.p, outM: out.m, outV: out.v, ...s, stepSize });
    // Counts of differing elements (a failing toEqual on 70k elements would spend minutes on its diff).
    const differing = (a: Float32Array, b: Float32Array) =>
      a.reduce((k, x, i) => k + (Object.is(x, b[i]) ? 0 : 1), 0);
    expect([differing(out.p, want.p), differing(out.m, want.m), differing(out.v, want.v)]).toEqual([0, 0, 0]);
    blas!.adamw!({ param, grad, m, v, outParam: param, outM: m, outV: v, ...s, stepSize });
    expect([differing(param, want.p), differing(m, want.m), differing(v, want.v)]).toEqual([0, 0, 0]);
  });

  it("rejects arrays of different lengths with a RangeError", () => {
    const a = new Float32Array(4);
    const args = { param: a, grad: a, m: a, v: new Float32Array(3), outParam: a, outM: a, outV: a };
    expect(() =>
      blas!.adamw!({ ...args, decay: 1, beta1: 0.9, beta2: 0.999, bc2Sqrt: 1, eps: 1e-8, stepSize: 1 }),
    ).toThrow(RangeError);
  });
});
