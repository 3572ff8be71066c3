import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { loadAdapter, loadLlama, saveLlama } from "@wpo/llama";
import type { OptionSpec } from "./cli_args.ts";
import { BACKEND_OPTION, COMMON_OPTIONS } from "./common_options.ts";
import type { CliIo } from "./demo_setup.ts";

/** Options of `wpo merge`. */
export const MERGE_OPTIONS: Record<string, OptionSpec> = {
  model: { kind: "string", help: "the base model folder (config.json + safetensors)" },
  adapter: { kind: "string", help: "the PEFT LoRA adapter folder" },
  output: { kind: "string", help: "where the merged Hugging Face checkpoint goes" },
  ...BACKEND_OPTION,
  ...COMMON_OPTIONS,
};

/** Files copied from the base folder so the merged folder is a complete model. */
const SIDE_FILES = [
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "generation_config.json",
];

/**
 * `wpo merge --model BASE --adapter DIR --output OUT`: writes a plain Hugging Face checkpoint
 * whose adapted projections are W + scale · B A (PEFT's `merge_and_unload`), one projection at a
 * time in place (no second copy of the model), plus the base's tokenizer files.
 *
 * @param o Parsed options.
 * @param io Output streams.
 * @returns The files written.
 * @example
 * ```ts
 * import { runMerge } from "@wpo/cli";
 * let message = "";
 * try { await runMerge({}, { out: () => {}, err: { write: () => true } }); } catch (e) { message = (e as Error).message; }
 * console.assert(message.includes("--model"));
 * ```
 */
export async function runMerge(o: Record<string, unknown>, io: CliIo): Promise<string[]> {
  for (const k of ["model", "adapter", "output"])
    if (typeof o[k] !== "string")
      throw new RangeError(`wpo merge needs --${k} (--model BASE --adapter DIR --output OUT).`);
  const base = o.model as string;
  const output = o.output as string;
  const model = await loadLlama(base, { trainable: false });
  try {
    const { config } = await loadAdapter(model, o.adapter as string);
    const scale = model.loraRuntime()!.scale;
    let merged = 0;
    for (const name of model.adapterVariables().keys()) {
      if (!name.endsWith(".lora_A.weight")) continue;
      const prefix = name.slice(0, -".lora_A.weight".length);
      const w = model.variables().get(`${prefix}.weight`)!;
      tf.tidy(() => {
        const b = model.weight(`${prefix}.lora_B.weight`) as tf.Tensor2D;
        w.assign(tf.add(w, tf.mul(tf.matMul(b, model.weight(name) as tf.Tensor2D), scale)));
      });
      merged++;
    }
    // the base Variables now hold the merged weights; saveLlama writes those (not the adapter)
    const files = await saveLlama(model, output);
    for (const f of SIDE_FILES) {
      if (existsSync(join(base, f))) {
        copyFileSync(join(base, f), join(output, f));
        files.push(f);
      }
    }
    io.out(
      `merged ${merged} projections (r ${config.r}, scale ${scale}) of ${o.adapter} into ${base}: ${output} (${files.join(", ")})`,
    );
    return files;
  } finally {
    model.dispose();
  }
}
