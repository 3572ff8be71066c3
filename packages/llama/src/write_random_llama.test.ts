import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "@wpo/backends";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toBfloat16 } from "./_half.ts";
import { parseLlamaConfig } from "./config.ts";
import { loadLlama } from "./load_llama.ts";
import { NAMED_SHAPES, namedShape } from "./named_shapes.ts";
import { randomLlama } from "./random_llama.ts";
import { saveLlama } from "./save_llama.ts";
import { llamaWeightShapes } from "./weight_shapes.ts";
import { writeRandomLlama } from "./write_random_llama.ts";

let dir: string;
beforeAll(async () => {
  await initBackend("cpu");
  dir = await mkdtemp(join(tmpdir(), "wpo-randwrite-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Odd-sized matrices so Box–Muller pairs straddle tensor ends; tied and untied.
const tiny = (tied: boolean) =>
  parseLlamaConfig({
    vocab_size: 37,
    hidden_size: 12,
    intermediate_size: 19,
    num_hidden_layers: 2,
    num_attention_heads: 3,
    num_key_value_heads: 1,
    tie_word_embeddings: tied,
  });

describe("writeRandomLlama", () => {
  for (const tied of [false, true]) {
    it(`float32 files equal saveLlama(randomLlama) byte for byte (tied ${tied}), single and sharded`, async () => {
      const config = tiny(tied);
      const model = randomLlama(config, { seed: 7 });
      const a = join(dir, `ref-${tied}`);
      const b = join(dir, `stream-${tied}`);
      await saveLlama(model, a, { maxShardBytes: 3000 });
      await writeRandomLlama(config, b, { seed: 7, dtype: "float32", maxShardBytes: 3000 });
      const files = (await readdir(a)).sort();
      expect(files.length).toBeGreaterThan(3);
      expect((await readdir(b)).sort()).toEqual(files);
      for (const f of files)
        expect(Buffer.compare(await readFile(join(a, f)), await readFile(join(b, f))), f).toBe(0);
      model.dispose();
    });
  }

  it("bfloat16 (the default) stores randomLlama's values rounded to nearest even", async () => {
    const config = tiny(false);
    const model = randomLlama(config, { seed: 3 });
    const out = join(dir, "bf16");
    await writeRandomLlama(config, out, { seed: 3 });
    expect(JSON.parse(await readFile(join(out, "config.json"), "utf8")).torch_dtype).toBe("bfloat16");
    const back = await loadLlama(out);
    for (const [name, v] of model.variables()) {
      const x = (await v.data()) as Float32Array;
      const want = new Float32Array(x.length);
      new Uint32Array(want.buffer).set(Array.from(toBfloat16(x, new Uint16Array(x.length)), (h) => h << 16));
      expect(Array.from((await back.variables().get(name)!.data()) as Float32Array), name).toEqual(
        Array.from(want),
      );
    }
    back.dispose();
    model.dispose();
  });
});

describe("NAMED_SHAPES", () => {
  // Parameter counts published for each model (tied embeddings counted once).
  const params: Record<string, number> = {
    "smollm2-135m": 134_515_008,
    "smollm2-360m": 361_821_120,
    "tinyllama-1.1b": 1_100_048_384,
    "llama3.2-1b": 1_235_814_400,
    "llama3.2-3b": 3_212_749_824,
    "llama3-8b": 8_030_261_248,
  };
  it("parse, and have the published parameter counts", () => {
    expect(NAMED_SHAPES.map((s) => s.name)).toEqual(Object.keys(params));
    for (const s of NAMED_SHAPES) {
      const c = parseLlamaConfig(s.config);
      let total = 0;
      for (const shape of llamaWeightShapes(c).values()) total += shape.reduce((a, b) => a * b, 1);
      expect(total, s.name).toBe(params[s.name]);
      expect(c.bosTokenId, s.name).toBe(c.vocabSize - 256);
    }
    expect(namedShape("llama3-8b").configOnly).toBe(true);
    expect(() => namedShape("gpt2")).toThrow(/Unknown shape 'gpt2'\. Known: smollm2-135m, /);
  });
});
