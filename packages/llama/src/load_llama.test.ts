import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@wpo/backends";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES } from "../test/fixtures.ts";
import { loadLlama } from "./load_llama.ts";
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from "./safetensors.ts";
import { saveLlama } from "./save_llama.ts";

let dir: string;
beforeAll(async () => {
  await initBackend("cpu");
  dir = await mkdtemp(join(tmpdir(), "wpo-llama-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function bits(t: tf.Tensor): Promise<Uint32Array> {
  return new Uint32Array(((await t.data()) as Float32Array).slice().buffer);
}

async function writeCheckpoint(
  name: string,
  edit: (t: Map<string, SafetensorsTensor>) => void,
  config = "gqa_untied",
): Promise<string> {
  const out = join(dir, name);
  const src = join(FIXTURES, config);
  const { tensors } = decodeSafetensors(new Uint8Array(await readFile(join(src, "model.safetensors"))));
  edit(tensors);
  await saveRaw(out, tensors, await readFile(join(src, "config.json"), "utf8"));
  return out;
}

async function saveRaw(out: string, tensors: Map<string, SafetensorsTensor>, config: string): Promise<void> {
  const { mkdir } = await import("node:fs/promises");
  await mkdir(out, { recursive: true });
  await writeFile(join(out, "config.json"), config);
  await writeFile(join(out, "model.safetensors"), encodeSafetensors(tensors, { metadata: { format: "pt" } }));
}

describe("loadLlama / saveLlama", () => {
  for (const variant of ["gqa_untied", "tied_llama3"]) {
    it(`${variant}: saves files that load back bit-identically, single and sharded`, async () => {
      const model = await loadLlama(join(FIXTURES, variant));
      const original = await readFile(join(FIXTURES, variant, "model.safetensors"));
      const single = join(dir, `${variant}-single`);
      expect(await saveLlama(model, single)).toEqual(["config.json", "model.safetensors"]);
      // Same names, order, layout and bytes as the PyTorch reference writer.
      expect(Buffer.compare(await readFile(join(single, "model.safetensors")), original)).toBe(0);
      const sharded = join(dir, `${variant}-sharded`);
      const files = await saveLlama(model, sharded, { maxShardBytes: 20_000 });
      expect(files).toContain("model.safetensors.index.json");
      expect(files.filter((f) => f.startsWith("model-")).length).toBeGreaterThan(2);
      for (const path of [single, sharded]) {
        const back = await loadLlama(path);
        expect(back.config).toEqual(model.config);
        expect([...back.variables().keys()]).toEqual([...model.variables().keys()]);
        for (const [name, v] of model.variables()) {
          expect(await bits(back.variables().get(name)!), name).toEqual(await bits(v));
        }
        back.dispose();
      }
      model.dispose();
    });
  }

  it("reports missing, extra and mis-shaped tensors by name", async () => {
    const bad = await writeCheckpoint("bad", (t) => {
      t.delete("model.layers.1.mlp.up_proj.weight");
      t.set("model.layers.9.extra.weight", { dtype: "F32", shape: [1], data: new Float32Array(1) });
      const k = t.get("model.layers.0.self_attn.k_proj.weight")!;
      t.set("model.layers.0.self_attn.k_proj.weight", { ...k, shape: [32, 16] });
    });
    const error = await loadLlama(bad).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(
      /missing 'model\.layers\.1\.mlp\.up_proj\.weight' \(shape \[48, 32\]\)/,
    );
    expect((error as Error).message).toMatch(/unexpected 'model\.layers\.9\.extra\.weight'/);
    expect((error as Error).message).toMatch(
      /'model\.layers\.0\.self_attn\.k_proj\.weight': expected shape \[16, 32\], got \[32, 16\]/,
    );
  });

  it("drops a redundant lm_head of a tied model and rotary buffers; loads BF16 weights", async () => {
    const path = await writeCheckpoint(
      "tied-extra",
      (t) => {
        t.set("lm_head.weight", t.get("model.embed_tokens.weight")!);
        t.set("model.layers.0.self_attn.rotary_emb.inv_freq", {
          dtype: "F32",
          shape: [8],
          data: new Float32Array(8),
        });
      },
      "tied_llama3",
    );
    const m = await loadLlama(path);
    expect(m.variables().has("lm_head.weight")).toBe(false);
    m.dispose();

    // BF16: write the reference weights truncated to bf16 and compare with the truncated values.
    const src = decodeSafetensors(
      new Uint8Array(await readFile(join(FIXTURES, "gqa_untied", "model.safetensors"))),
    );
    const header: Record<string, unknown> = {};
    const chunks: Uint8Array[] = [];
    let offset = 0;
    for (const [name, t] of src.tensors) {
      const u32 = new Uint32Array((t.data as Float32Array).slice().buffer);
      const u16 = Uint16Array.from(u32, (x) => x >>> 16);
      header[name] = { dtype: "BF16", shape: t.shape, data_offsets: [offset, offset + u16.byteLength] };
      chunks.push(new Uint8Array(u16.buffer));
      offset += u16.byteLength;
    }
    const json = new TextEncoder().encode(JSON.stringify(header));
    const file = new Uint8Array(8 + json.length + offset);
    new DataView(file.buffer).setBigUint64(0, BigInt(json.length), true);
    file.set(json, 8);
    let at = 8 + json.length;
    for (const c of chunks) {
      file.set(c, at);
      at += c.length;
    }
    const bfDir = join(dir, "bf16");
    await saveRaw(bfDir, new Map(), await readFile(join(FIXTURES, "gqa_untied", "config.json"), "utf8"));
    await writeFile(join(bfDir, "model.safetensors"), file);
    const bf = await loadLlama(bfDir);
    const w = src.tensors.get("lm_head.weight")!.data as Float32Array;
    const got = (await bf.variables().get("lm_head.weight")!.data()) as Float32Array;
    const want = new Float32Array(new Uint32Array(w.slice().buffer).map((x) => x & 0xffff0000).buffer);
    expect(Array.from(got)).toEqual(Array.from(want));
    bf.dispose();
  });

  it("checks the shard index against the shards", async () => {
    const model = await loadLlama(join(FIXTURES, "gqa_untied"));
    const sharded = join(dir, "index-check");
    await saveLlama(model, sharded, { maxShardBytes: 20_000 });
    model.dispose();
    const indexPath = join(sharded, "model.safetensors.index.json");
    const index = JSON.parse(await readFile(indexPath, "utf8"));
    const first = Object.values(index.weight_map)[0];
    index.weight_map["model.layers.0.mlp.ghost.weight"] = first;
    await writeFile(indexPath, JSON.stringify(index));
    await expect(loadLlama(sharded)).rejects.toThrow(/maps 'model\.layers\.0\.mlp\.ghost\.weight'/);
    index.weight_map["model.layers.0.mlp.ghost.weight"] = "model-00099-of-00099.safetensors";
    await writeFile(indexPath, JSON.stringify(index));
    await expect(loadLlama(sharded)).rejects.toThrow(/Cannot read .*model-00099-of-00099/);
  });

  it("explains a directory without weights", async () => {
    const empty = join(dir, "empty");
    await saveRaw(empty, new Map(), await readFile(join(FIXTURES, "gqa_untied", "config.json"), "utf8"));
    await rm(join(empty, "model.safetensors"));
    await expect(loadLlama(empty)).rejects.toThrow(/model\.safetensors or model\.safetensors\.index\.json/);
  });
});
