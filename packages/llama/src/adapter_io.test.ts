import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { beforeAll, describe, expect, it } from "vitest";
import { FIXTURES } from "../test/fixtures.ts";
import {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  loadAdapter,
  readAdapter,
  saveAdapter,
} from "./adapter_io.ts";
import { parseLlamaConfig } from "./config.ts";
import { addLora } from "./lora.ts";
import { randomLlama } from "./random_llama.ts";
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from "./safetensors.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

const tiny = parseLlamaConfig({
  vocab_size: 16,
  hidden_size: 8,
  intermediate_size: 12,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
});
const tmp = () => mkdtempSync(join(tmpdir(), "wpo-adapter-"));

/** Writes a hand-made PEFT adapter folder (PEFT's layout and key names). */
function writePeft(
  dir: string,
  config: Record<string, unknown>,
  tensors: Map<string, SafetensorsTensor>,
): void {
  writeFileSync(join(dir, ADAPTER_CONFIG_FILE), JSON.stringify(config));
  writeFileSync(join(dir, ADAPTER_WEIGHTS_FILE), encodeSafetensors(tensors, { metadata: { format: "pt" } }));
}

function peftTensors(r: number, modules: [string, number, number][], layers = 2) {
  const out = new Map<string, SafetensorsTensor>();
  let k = 0;
  for (let l = 0; l < layers; l++)
    for (const [path, outDim, inDim] of modules) {
      const p = `base_model.model.model.layers.${l}.${path}`;
      out.set(`${p}.lora_A.weight`, {
        dtype: "F32",
        shape: [r, inDim],
        data: Float32Array.from({ length: r * inDim }, () => ++k / 100),
      });
      out.set(`${p}.lora_B.weight`, {
        dtype: "F32",
        shape: [outDim, r],
        data: Float32Array.from({ length: outDim * r }, () => ++k / 100),
      });
    }
  return out;
}

describe("PEFT adapter files", () => {
  it("saves PEFT's layout and loads it back bit-identically", async () => {
    const m = randomLlama(tiny, { seed: 1 });
    addLora(m, { r: 4, loraAlpha: 16, loraDropout: 0.05, targetModules: "all-linear" }, { seed: 3 });
    for (const [n, v] of m.adapterVariables()) if (n.includes("lora_B")) v.assign(tf.fill(v.shape, 0.25));
    const dir = tmp();
    await saveAdapter(m, dir, { baseModelNameOrPath: "some/base" });
    const json = JSON.parse(readFileSync(join(dir, ADAPTER_CONFIG_FILE), "utf8"));
    expect(json).toMatchObject({
      peft_type: "LORA",
      task_type: "CAUSAL_LM",
      r: 4,
      lora_alpha: 16,
      lora_dropout: 0.05,
      bias: "none",
      use_rslora: false,
      base_model_name_or_path: "some/base",
      target_modules: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
    });
    const file = decodeSafetensors(new Uint8Array(readFileSync(join(dir, ADAPTER_WEIGHTS_FILE))));
    expect(file.tensors.get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight")!.shape).toEqual(
      [4, 8],
    );
    expect(file.tensors.get("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight")!.shape).toEqual([
      8, 4,
    ]);
    expect(file.tensors.size).toBe(28);
    expect(file.metadata.format).toBe("pt");
    const other = randomLlama(tiny, { seed: 1 });
    await loadAdapter(other, dir);
    expect(other.loraConfig()).toEqual(m.loraConfig());
    for (const [n, v] of m.adapterVariables())
      expect(other.adapterVariables().get(n)!.dataSync()).toEqual(v.dataSync());
    const ids = tf.tensor2d([[1, 2, 3]], [1, 3], "int32");
    expect(other.forward(ids).dataSync()).toEqual(m.forward(ids).dataSync());
    other.dispose();
    m.dispose();
  });

  it("loads an adapter in PEFT's layout unchanged (hand-made file, in-memory `.default` names too)", async () => {
    const dir = tmp();
    const tensors = peftTensors(2, [
      ["self_attn.q_proj", 8, 8],
      ["self_attn.v_proj", 4, 8],
    ]);
    // PEFT's in-memory state dict spells `lora_A.default.weight`; accept it as well
    const renamed = new Map(
      [...tensors].map(([k, v]) => [k.replace(/\.(lora_[AB])\.weight$/, ".$1.default.weight"), v]),
    );
    writePeft(
      dir,
      {
        peft_type: "LORA",
        task_type: "CAUSAL_LM",
        r: 2,
        lora_alpha: 4,
        target_modules: ["v_proj", "q_proj"],
        bias: "none",
      },
      renamed,
    );
    const m = randomLlama(tiny, { seed: 1 });
    const files = await loadAdapter(m, dir);
    expect(files.config.targetModules).toEqual(["q_proj", "v_proj"]);
    expect(m.adapterVariables().get("model.layers.1.self_attn.v_proj.lora_B.weight")!.shape).toEqual([4, 2]);
    expect(m.trainableVariables().length).toBe(8);
    m.dispose();
  });

  it("names the file and the tensor on bad input", async () => {
    const m = randomLlama(tiny, { seed: 1 });
    const missing = tmp();
    await expect(loadAdapter(m, missing)).rejects.toThrow(join(missing, ADAPTER_CONFIG_FILE));

    const badShape = tmp();
    writePeft(
      badShape,
      { peft_type: "LORA", r: 2, lora_alpha: 4, target_modules: ["q_proj"] },
      peftTensors(2, [["self_attn.q_proj", 6, 8]]),
    );
    await expect(loadAdapter(m, badShape)).rejects.toThrow(
      /adapter_model\.safetensors: tensor 'base_model\.model\.model\.layers\.0\.self_attn\.q_proj\.lora_B\.weight' has shape \[6, 2\], the model needs \[8, 2\]/,
    );

    const rZero = tmp();
    writePeft(rZero, { peft_type: "LORA", r: 0, target_modules: ["q_proj"] }, new Map());
    await expect(loadAdapter(m, rZero)).rejects.toThrow(
      /adapter_config\.json: r must be an integer >= 1, got 0/,
    );

    const unknown = tmp();
    writePeft(unknown, { peft_type: "LORA", r: 2, target_modules: ["q_proj", "qkv_proj"] }, new Map());
    await expect(loadAdapter(m, unknown)).rejects.toThrow(
      /adapter_config\.json: unknown target module 'qkv_proj'/,
    );

    const extra = tmp();
    writePeft(
      extra,
      { peft_type: "LORA", r: 2, target_modules: ["q_proj"] },
      peftTensors(2, [
        ["self_attn.q_proj", 8, 8],
        ["mlp.up_proj", 12, 8],
      ]),
    );
    await expect(loadAdapter(m, extra)).rejects.toThrow(
      /'base_model\.model\.model\.layers\.0\.mlp\.up_proj\.lora_A\.weight' is not an adapter/,
    );

    const short = tmp();
    writePeft(
      short,
      { peft_type: "LORA", r: 2, target_modules: ["q_proj"] },
      peftTensors(2, [["self_attn.q_proj", 8, 8]], 1),
    );
    await expect(loadAdapter(m, short)).rejects.toThrow(
      /layers\.1\.self_attn\.q_proj\.lora_A\.weight' is missing/,
    );

    const dora = tmp();
    writePeft(dora, { peft_type: "LORA", r: 2, target_modules: ["q_proj"], use_dora: true }, new Map());
    await expect(readAdapter(dora)).rejects.toThrow(/DoRA/);
    expect(m.loraConfig()).toBeUndefined();
    m.dispose();
  });

  it("reads the committed PyTorch-written fixture", async () => {
    const files = await readAdapter(join(FIXTURES, "lora", "tied_rslora_qv"));
    expect(files.config).toEqual({
      r: 2,
      loraAlpha: 6,
      loraDropout: 0,
      targetModules: ["q_proj", "v_proj"],
      useRslora: true,
    });
  });
});
