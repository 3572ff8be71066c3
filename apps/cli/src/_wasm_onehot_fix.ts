import * as tf from "@tensorflow/tfjs-core";

/**
 * tfjs-backend-wasm 4.22's OneHot kernel ignores `dtype: "float32"`: it writes int32
 * bit patterns into a float32 tensor (1 reads as 1.4e-45). `@wpo/losses` builds its
 * log-prob gradient with a float32 one-hot, so on wasm every gradient is wrong.
 * This detects the bug and, only when present, re-registers OneHot on wasm to build
 * the int32 one-hot and cast it. A no-op once the backend (or @wpo/backends) is fixed.
 *
 * @returns True when the patch was applied.
 */
export async function patchWasmOneHot(): Promise<boolean> {
  if (tf.getBackend() !== "wasm") return false;
  const probe = tf.oneHot(tf.tensor1d([1], "int32"), 2, 1, 0, "float32");
  const values = await probe.data();
  tf.dispose(probe);
  if (values[1] === 1) return false;
  const original = tf.getKernel("OneHot", "wasm");
  const cast = tf.getKernel("Cast", "wasm");
  if (!original || !cast) return false;
  tf.unregisterKernel("OneHot", "wasm");
  tf.registerKernel({
    kernelName: "OneHot",
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const a = attrs as unknown as { dtype: tf.DataType };
      const ints = original.kernelFunc({
        inputs,
        backend,
        attrs: { ...(attrs as unknown as tf.NamedAttrMap), dtype: "int32" },
      }) as tf.TensorInfo;
      if (a.dtype === "int32") return ints;
      const out = cast.kernelFunc({
        inputs: { x: ints },
        backend,
        attrs: { dtype: a.dtype },
      }) as tf.TensorInfo;
      (backend as { disposeData(id: object): void }).disposeData(ints.dataId);
      return out;
    },
  });
  return true;
}
