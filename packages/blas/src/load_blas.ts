import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** Arguments of {@linkcode Blas.sgemm}: row-major `C[i] = op(A[i]) · op(B[i])` for `i < batch`. */
export interface SgemmArgs {
  /** Use Aᵀ: A[i] is stored k x m. */
  transA: boolean;
  /** Use Bᵀ: B[i] is stored n x k. */
  transB: boolean;
  /** Rows of op(A) and C. */
  m: number;
  /** Columns of op(B) and C. */
  n: number;
  /** Inner dimension. */
  k: number;
  /** Left operands (any Float32Array view, e.g. of a WebAssembly.Memory). */
  a: Float32Array;
  /** Right operands. */
  b: Float32Array;
  /** Output, `batch * m * n` values, overwritten. */
  c: Float32Array;
  /** Number of products. Default 1. */
  batch?: number;
  /** Elements between consecutive A[i] (0 broadcasts one A). Default m*k. */
  strideA?: number;
  /** Elements between consecutive B[i] (0 broadcasts one B). Default k*n. */
  strideB?: number;
}

/** Operators of {@linkcode Blas.binary}. */
export type BinaryOp = "add" | "sub" | "mul" | "div";

/**
 * Operand layouts of {@linkcode Blas.binary} (n = out.length): `same` (a, b: n), `bScalar` / `aScalar` (one
 * element), `bRepeats` / `aRepeats` (that operand has `param` elements, repeated n/param times: a trailing
 * broadcast such as [E] against [B, T, E]), `bPerRow` / `aPerRow` (that operand has n/param elements, one per
 * row of `param`: a [..., 1] broadcast).
 */
export type BinaryMode = "same" | "bScalar" | "aScalar" | "bRepeats" | "aRepeats" | "bPerRow" | "aPerRow";

/** Arguments of {@linkcode Blas.binary}. */
export interface BinaryArgs {
  op: BinaryOp;
  mode: BinaryMode;
  a: Float32Array;
  b: Float32Array;
  /** Output (n elements), overwritten. */
  out: Float32Array;
  /** Period (`*Repeats`) or row length (`*PerRow`); ignored otherwise. */
  param?: number;
}

const OPS: readonly BinaryOp[] = ["add", "sub", "mul", "div"];
const MODES: readonly BinaryMode[] = [
  "same",
  "bScalar",
  "aScalar",
  "bRepeats",
  "aRepeats",
  "bPerRow",
  "aPerRow",
];

/**
 * Arguments of {@linkcode Blas.adamw}: one `torch.optim.AdamW` update of a parameter (equal-length arrays;
 * outputs may be the inputs). Scalars are rounded to float32, as tensor ops would.
 */
export interface AdamWArgs {
  param: Float32Array;
  grad: Float32Array;
  /** First moment (torch `exp_avg`). */
  m: Float32Array;
  /** Second moment (torch `exp_avg_sq`). */
  v: Float32Array;
  outParam: Float32Array;
  outM: Float32Array;
  outV: Float32Array;
  /** Decoupled weight decay factor `1 - lr * weightDecay`. */
  decay: number;
  beta1: number;
  beta2: number;
  /** `sqrt(1 - beta2^t)`. */
  bc2Sqrt: number;
  eps: number;
  /** `lr / (1 - beta1^t)`. */
  stepSize: number;
}

/** The loaded native OpenBLAS addon. */
export interface Blas {
  /** Runs a (batched) single-precision GEMM in place on Float32Array views; throws RangeError on size mismatch. */
  sgemm(args: SgemmArgs): void;
  /**
   * `out[i] = sqrt(x[i])` (correctly rounded, vectorised) on Float32Array views of equal length; `out` may be `x`.
   * Throws TypeError/RangeError on other arrays or a length mismatch.
   */
  sqrt(x: Float32Array, out: Float32Array): void;
  /**
   * Element-wise float32 `out = a OP b` (OpenMP-threaded) for one of the broadcast layouts of
   * {@linkcode BinaryMode}; throws RangeError when the lengths do not fit the mode. Undefined when the addon
   * was built before it existed.
   */
  binary?(args: BinaryArgs): void;
  /**
   * One fused AdamW update, bit-identical to the op-by-op float32 update of `@wpo/optim` (`m = m*b1 +
   * g*(1-b1)`, `v = v*b2 + (g*(1-b2))*g`, `p = p*decay + (m*(-stepSize)) / (sqrt(v)/bc2Sqrt + eps)`) in one
   * pass over memory. Throws RangeError on a length mismatch. Undefined when the addon was built before it
   * existed.
   */
  adamw?(args: AdamWArgs): void;
  /**
   * A raw function of the addon by name (the fused model kernels of `native/*.c`, whose typed wrappers live
   * in `@wpo/backends`), or undefined when this build of the addon lacks it.
   */
  native(name: string): ((...args: unknown[]) => unknown) | undefined;
  /** OpenBLAS threads used per call. */
  threads(): number;
  /** Sets the OpenBLAS thread count. */
  setThreads(n: number): void;
  /** OpenBLAS build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Cooperlake MAX_THREADS=64". */
  config: string;
}

interface Addon {
  sgemm(
    ...args: [
      boolean,
      boolean,
      number,
      number,
      number,
      Float32Array,
      Float32Array,
      Float32Array,
      number,
      number,
      number,
    ]
  ): void;
  sqrt?(x: Float32Array, out: Float32Array): void;
  binary?(op: number, mode: number, a: Float32Array, b: Float32Array, out: Float32Array, param: number): void;
  adamw?(...arrays: Float32Array[]): void;
  setThreads(n: number): void;
  getThreads(): number;
  config(): string;
  [name: string]: unknown;
}

const ADDON_URL = new URL("../build/wpo_blas.node", import.meta.url);
const STATUS_URL = new URL("../build/status.json", import.meta.url);

let cached: { blas?: Blas; reason?: string } | undefined;

function wrap(addon: Addon): Blas {
  return {
    sgemm(args: SgemmArgs): void {
      const { m, n, k } = args;
      addon.sgemm(
        args.transA,
        args.transB,
        m,
        n,
        k,
        args.a,
        args.b,
        args.c,
        args.batch ?? 1,
        args.strideA ?? m * k,
        args.strideB ?? k * n,
      );
    },
    sqrt(x: Float32Array, out: Float32Array): void {
      if (addon.sqrt) addon.sqrt(x, out);
      else for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]!); // an addon built before sqrt existed
    },
    ...(addon.binary
      ? {
          binary(args: BinaryArgs): void {
            const op = OPS.indexOf(args.op);
            const mode = MODES.indexOf(args.mode);
            if (op < 0 || mode < 0)
              throw new RangeError(`binary: unknown op '${args.op}' or mode '${args.mode}'.`);
            addon.binary!(op, mode, args.a, args.b, args.out, args.param ?? 1);
          },
        }
      : {}),
    ...(addon.adamw
      ? {
          adamw(a: AdamWArgs): void {
            const scalars = new Float32Array([
              a.decay,
              a.beta1,
              1 - a.beta1,
              a.beta2,
              1 - a.beta2,
              a.bc2Sqrt,
              a.eps,
              -a.stepSize,
            ]);
            addon.adamw!(a.param, a.grad, a.m, a.v, a.outParam, a.outM, a.outV, scalars);
          },
        }
      : {}),
    native(name: string) {
      const fn = addon[name];
      return typeof fn === "function" ? (fn as (...args: unknown[]) => unknown) : undefined;
    },
    threads: () => addon.getThreads(),
    setThreads: (n: number) => addon.setThreads(n),
    config: addon.config(),
  };
}

function buildReason(): string {
  try {
    const status = JSON.parse(readFileSync(STATUS_URL, "utf8")) as { reason?: string };
    if (status.reason) return status.reason;
  } catch {
    // no status file: the build script never ran
  }
  return "build/wpo_blas.node is missing: run `pnpm --filter @wpo/blas build:native` (needs a C compiler and OpenBLAS)";
}

/**
 * Loads the native OpenBLAS addon, once. Returns `undefined` (never throws) when it
 * was not built or cannot load; {@linkcode blasUnavailableReason} says why.
 *
 * @returns the addon, or undefined.
 *
 * @example
 * ```ts
 * import { blasUnavailableReason, loadBlas } from "@wpo/blas";
 * const blas = loadBlas();
 * if (blas) {
 *   const c = new Float32Array(1);
 *   blas.sgemm({ transA: false, transB: false, m: 1, n: 1, k: 2, a: new Float32Array([1, 2]), b: new Float32Array([3, 4]), c });
 *   console.assert(c[0] === 11);
 * } else console.assert(typeof blasUnavailableReason() === "string");
 * ```
 */
export function loadBlas(): Blas | undefined {
  if (cached) return cached.blas;
  if (process.env.WPO_BLAS_DISABLE === "1") {
    cached = { reason: "disabled by WPO_BLAS_DISABLE=1" };
    return undefined;
  }
  // Idle OpenMP workers of the element-wise kernels sleep instead of spinning on the cores OpenBLAS needs.
  process.env.OMP_WAIT_POLICY ??= "PASSIVE";
  try {
    const addon = createRequire(import.meta.url)(ADDON_URL.pathname) as Addon;
    cached = { blas: wrap(addon) };
  } catch (error) {
    const message = (error as Error).message.split("\n")[0] ?? "";
    cached = {
      reason: /Cannot find module/.test(message) ? buildReason() : `loading the addon failed: ${message}`,
    };
  }
  return cached.blas;
}

/**
 * Why {@linkcode loadBlas} returned undefined (after it was called), else undefined.
 *
 * @returns the reason, or undefined when the addon is loaded or was not tried yet.
 *
 * @example
 * ```ts
 * import { blasUnavailableReason, loadBlas } from "@wpo/blas";
 * console.assert((loadBlas() === undefined) === (blasUnavailableReason() !== undefined));
 * ```
 */
export function blasUnavailableReason(): string | undefined {
  return cached?.reason;
}
