import * as tf from "@tensorflow/tfjs-core";
import type { HeapBackend } from "./_wasm_heap.ts";

type Mode = "same" | "bScalar" | "aScalar" | "bRepeats" | "aRepeats" | "bPerRow" | "aPerRow";

/** `@wpo/blas`' element-wise `binary` (see its `BinaryArgs`). */
export type NativeBinary = (args: {
  op: "add" | "sub" | "mul" | "div";
  mode: Mode;
  a: Float32Array;
  b: Float32Array;
  out: Float32Array;
  param?: number;
}) => void;

const KERNELS = { Add: "add", Sub: "sub", Multiply: "mul", RealDiv: "div" } as const;
const stock = new Map<string, tf.KernelConfig>();
const size = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);

/** How the smaller operand `small` (size < n) broadcasts against the output shape, or undefined. */
function layout(
  small: readonly number[],
  out: readonly number[],
): { kind: "Repeats" | "PerRow"; param: number } | undefined {
  const padded = [...new Array<number>(out.length - small.length).fill(1), ...small];
  // a trailing block of the output's own dims after leading 1s: repeats with that block's size
  let k = 0;
  while (k < padded.length && padded[k] === 1) k++;
  if (padded.slice(k).every((d, i) => d === out[k + i]))
    return { kind: "Repeats", param: size(out.slice(k)) };
  // the output's leading dims followed by 1s: one value per row of the trailing block
  let j = padded.length;
  while (j > 0 && padded[j - 1] === 1) j--;
  if (padded.slice(0, j).every((d, i) => d === out[i])) return { kind: "PerRow", param: size(out.slice(j)) };
  return undefined;
}

/** The native layout for `a OP b`, or undefined when only the stock kernel handles it. */
export function binaryLayout(
  a: readonly number[],
  b: readonly number[],
): { mode: Mode; param: number; out: number[] } | undefined {
  let out: number[];
  try {
    out = tf.backend_util.assertAndGetBroadcastShape([...a], [...b]);
  } catch {
    return undefined;
  }
  const [n, na, nb] = [size(out), size(a), size(b)];
  if (n === 0) return undefined;
  if (na === n && nb === n) return { mode: "same", param: 1, out };
  if (na === n && nb === 1) return { mode: "bScalar", param: 1, out };
  if (nb === n && na === 1) return { mode: "aScalar", param: 1, out };
  const side = na === n ? "b" : nb === n ? "a" : undefined;
  if (!side) return undefined;
  const l = layout(side === "b" ? b : a, out);
  return l ? { mode: `${side}${l.kind}` as Mode, param: l.param, out } : undefined;
}

/**
 * Runs the wasm backend's float32 `Add`, `Sub`, `Multiply` and `RealDiv` natively on the
 * wasm heap (zero copy, OpenMP-threaded, AVX where the CPU has it) when `binary` is given
 * and the broadcast is one of the native layouts (same shape, a scalar, a trailing block
 * such as [E] against [B, T, E], or one value per row such as [B, T, 1]); other dtypes and
 * broadcasts keep the stock kernels. Without `binary` the stock kernels are restored. `backendName`: whose
 * kernels (default wasm; the `native` backend passes its own).
 * @returns the kernel names replaced.
 */
export function patchWasmBinary(binary: NativeBinary | undefined, backendName = "wasm"): string[] {
  const replaced: string[] = [];
  for (const [name, op] of Object.entries(KERNELS)) {
    const key = `${backendName}/${name}`;
    if (!stock.has(key)) {
      const k = tf.getKernel(name, backendName);
      if (!k) continue;
      stock.set(key, k);
    }
    const base = stock.get(key)!;
    const fallback = base.kernelFunc;
    const kernelFunc = binary
      ? (((args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) => {
          const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
          if (a.dtype !== "float32" || b.dtype !== "float32") return fallback(args as never);
          const plan = binaryLayout(a.shape, b.shape);
          if (!plan) return fallback(args as never);
          const backend = args.backend as HeapBackend;
          const out = backend.makeOutput(plan.out, "float32");
          // Views are taken after makeOutput: allocation may grow (and detach) the heap.
          binary({
            op,
            mode: plan.mode,
            a: backend.typedArrayFromHeap(a) as Float32Array,
            b: backend.typedArrayFromHeap(b) as Float32Array,
            out: backend.typedArrayFromHeap(out) as Float32Array,
            param: plan.param,
          });
          return out;
        }) as unknown as tf.KernelFunc)
      : fallback;
    tf.unregisterKernel(name, backendName);
    const config: tf.KernelConfig = { kernelName: name, backendName, kernelFunc };
    if (base.setupFunc) config.setupFunc = base.setupFunc;
    tf.registerKernel(config);
    if (binary) replaced.push(name);
  }
  return replaced;
}
