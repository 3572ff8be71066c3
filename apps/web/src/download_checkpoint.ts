import type * as tf from "@tensorflow/tfjs-core";
import { encodeSafetensors, type StoredTensor } from "@wpo/trainer";

/**
 * Encodes model weights (Hugging Face names) as a safetensors file, reading each
 * tensor asynchronously (WebGPU cannot read synchronously).
 *
 * @param variables HF tensor name -> variable, e.g. `model.variables()`.
 * @param metadata String metadata stored in the header.
 * @returns The file's bytes.
 */
export async function checkpointBytes(
  variables: Map<string, tf.Variable>,
  metadata: Record<string, string> = {},
): Promise<Uint8Array> {
  const stored = new Map<string, StoredTensor>();
  for (const [name, v] of variables) {
    const data = (await v.data()) as Float32Array | Int32Array;
    stored.set(name, { dtype: v.dtype === "int32" ? "int32" : "float32", shape: [...v.shape], data });
  }
  return encodeSafetensors(stored, { format: "pt", ...metadata });
}

/**
 * Offers bytes to the user as a file download.
 *
 * @param bytes File content.
 * @param fileName Suggested name.
 */
export function offerDownload(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }),
  );
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
