/**
 * By-hand proof that big checkpoints load and save (too big for the test suite):
 *   npx tsx apps/cli/scripts/load_check.ts DIR [--save OUT]
 * Loads DIR with loadLlama on the tfjs cpu backend, runs one forward pass on 4 tokens,
 * optionally re-saves the model as bfloat16 to OUT and compares the weights file with
 * DIR's byte for byte (sha256). Run it under `/usr/bin/time -v` for the peak RSS.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { loadLlama, saveLlama } from "@wpo/llama";

const [dir, flag, out] = process.argv.slice(2);
if (!dir) throw new Error("usage: load_check.ts DIR [--save OUT]");
const gb = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
const sha = (path: string) =>
  new Promise<string>((res, rej) => {
    const h = createHash("sha256");
    createReadStream(path)
      .on("data", (c) => h.update(c))
      .on("end", () => res(h.digest("hex")))
      .on("error", rej);
  });

await initBackend("cpu");
let t = performance.now();
const model = await loadLlama(dir, { trainable: false });
const params = [...model.variables().values()].reduce((a, v) => a + v.size, 0);
console.log(
  `loaded ${(params / 1e6).toFixed(0)}M parameters (${gb(params * 4)} float32) in ${((performance.now() - t) / 1000).toFixed(1)} s, rss ${gb(process.memoryUsage().rss)}`,
);
t = performance.now();
const bos = model.config.bosTokenId ?? 0;
const logits = model.forward(tf.tensor2d([[bos, 9906, 11, 1917]], [1, 4], "int32"));
const sum = (await tf.sum(logits).data())[0]!;
console.log(
  `forward [1, 4] -> [${logits.shape}] in ${((performance.now() - t) / 1000).toFixed(1)} s, finite ${Number.isFinite(sum)}, rss ${gb(process.memoryUsage().rss)}`,
);
logits.dispose();
if (flag === "--save" && out) {
  t = performance.now();
  const files = await saveLlama(model, out, { dtype: "bfloat16" });
  console.log(`saved ${files.join(", ")} as bfloat16 in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const [a, b] = await Promise.all([
    sha(join(dir, "model.safetensors")),
    sha(join(out, "model.safetensors")),
  ]);
  console.log(`model.safetensors sha256 ${a === b ? "identical" : "DIFFERENT"} (${a.slice(0, 16)}...)`);
}
model.dispose();
