import * as tf from "@tensorflow/tfjs-core";
import { ROPE_KERNEL, type NativeKernels } from "@wpo/kernels";
import type { NativeLookup } from "./_wasm_fused_kernels.ts";
import type { HeapBackend } from "./_wasm_heap.ts";

type Rope = NativeKernels["rope"];

/**
 * Registers {@linkcode ROPE_KERNEL} on wasm over `@wpo/blas`' native `rope` (one pass; bit-identical to the
 * tensor ops), or unregisters it when the addon lacks it.
 * @returns the kernel names registered.
 */
export function patchWasmRope(native: NativeLookup | undefined, backendName = "wasm"): string[] {
  if (tf.getKernel(ROPE_KERNEL, backendName)) tf.unregisterKernel(ROPE_KERNEL, backendName);
  const rope = native?.("rope") as Rope | undefined;
  if (!rope) return [];
  const kernelFunc = ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) => {
    const { x, cos, sin } = args.inputs as Record<"x" | "cos" | "sin", tf.TensorInfo>;
    const inverse = (args.attrs as { inverse?: boolean }).inverse === true;
    const [b, h, t, d] = x.shape as number[];
    const [tb, one, tt, td] = cos.shape as number[];
    const fits =
      x.shape.length === 4 &&
      cos.shape.length === 4 &&
      tf.util.arraysEqual(cos.shape, sin.shape) &&
      one === 1 &&
      tt === t &&
      td === d &&
      d! % 2 === 0 &&
      (tb === 1 || tb === b);
    if (!fits || [x, cos, sin].some((i) => i.dtype !== "float32"))
      throw new TypeError(
        `${ROPE_KERNEL}: expected float32 x [B, H, T, d] (d even) and cos, sin [B|1, 1, T, d], got x ${x.dtype} [${x.shape}], cos [${cos.shape}], sin [${sin.shape}].`,
      );
    const backend = args.backend as HeapBackend;
    const out = backend.makeOutput([...x.shape], "float32");
    const view = (i: tf.TensorInfo) => backend.typedArrayFromHeap(i) as Float32Array;
    if (tf.util.sizeFromShape(x.shape) > 0)
      rope(view(x), view(cos), view(sin), view(out), d!, h! * t!, t!, tb!, inverse);
    return out;
  }) as unknown as tf.KernelFunc;
  tf.registerKernel({ kernelName: ROPE_KERNEL, backendName, kernelFunc });
  return [ROPE_KERNEL];
}
