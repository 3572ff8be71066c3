import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "@wpo/backends";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES } from "../test/fixtures.ts";
import { loadLlama } from "./load_llama.ts";
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from "./safetensors.ts";
import { saveLlama } from "./save_llama.ts";

let dir: string;
let n = 0;
beforeAll(async () => {
  await initBackend("cpu");
  dir = await mkdtemp(join(tmpdir(), "wpo-validate-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A copy of fixtures/gqa_untied with its config and/or tensors edited. */
async function variant(
  editConfig: (c: Record<string, unknown>) => void,
  editTensors?: (t: Map<string, SafetensorsTensor>) => void,
): Promise<string> {
  const out = join(dir, `v${n++}`);
  await cp(join(FIXTURES, "gqa_untied"), out, { recursive: true });
  const config = JSON.parse(await readFile(join(out, "config.json"), "utf8"));
  editConfig(config);
  await writeFile(join(out, "config.json"), JSON.stringify(config));
  if (editTensors) {
    const path = join(out, "model.safetensors");
    const { tensors } = decodeSafetensors(new Uint8Array(await readFile(path)));
    editTensors(tensors);
    await writeFile(path, encodeSafetensors(tensors));
  }
  return out;
}

describe("loadLlama validation", () => {
  it("refuses NaN and Inf weights, naming the tensor and the file", async () => {
    const path = await variant(
      () => {},
      (t) => {
        (t.get("model.layers.1.mlp.down_proj.weight")!.data as Float32Array)[5] = Number.NaN;
      },
    );
    await expect(loadLlama(path)).rejects.toThrow(
      /model\.safetensors: tensor 'model\.layers\.1\.mlp\.down_proj\.weight' holds a non-finite value \(NaN at flat index 5/,
    );
    const inf = await variant(
      () => {},
      (t) => {
        (t.get("model.norm.weight")!.data as Float32Array)[0] = Number.NEGATIVE_INFINITY;
      },
    );
    await expect(loadLlama(inf)).rejects.toThrow(
      /'model\.norm\.weight' holds a non-finite value \(-Infinity/,
    );
  });

  it("refuses rms_norm_eps <= 0 and rope_theta <= 0, naming config.json", async () => {
    const eps = await variant((c) => {
      c.rms_norm_eps = 0;
    });
    await expect(loadLlama(eps)).rejects.toThrow(
      /config\.json: Llama config field 'rms_norm_eps' must be > 0, got 0/,
    );
    const theta = await variant((c) => {
      c.rope_theta = -10000;
    });
    const error = (await loadLlama(theta).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toMatch(/config\.json: Llama config field 'rope_theta' must be > 0, got -10000/);
  });

  it("refuses a config claiming 10^7 layers in milliseconds", async () => {
    const path = await variant((c) => {
      c.num_hidden_layers = 1e7;
    });
    const t0 = performance.now();
    await expect(loadLlama(path)).rejects.toThrow(
      /num_hidden_layers = 10000000 but the weights hold layers 0\.\.1 \(2\)/,
    );
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it("checks tensor shapes against the config and names the file", async () => {
    const path = await variant((c) => {
      c.intermediate_size = 40;
    });
    await expect(loadLlama(path)).rejects.toThrow(
      /'model\.layers\.0\.mlp\.gate_proj\.weight': expected shape \[40, 32\], got \[48, 32\] \(.*model\.safetensors\)/,
    );
    const ints = await variant(
      () => {},
      (t) => {
        t.set("model.norm.weight", { dtype: "I32", shape: [32], data: new Int32Array(32) });
      },
    );
    await expect(loadLlama(ints)).rejects.toThrow(/'model\.norm\.weight' has integer dtype I32/);
  });

  it("refuses a tied lm_head that differs from the embedding", async () => {
    const path = await variant((c) => {
      c.tie_word_embeddings = true;
    });
    await expect(loadLlama(path)).rejects.toThrow(/ties the embeddings but 'lm_head\.weight'.*differs/);
  });

  it("refuses shard index paths that leave the folder", async () => {
    const model = await loadLlama(join(FIXTURES, "gqa_untied"));
    const sharded = join(dir, "escape");
    await saveLlama(model, sharded, { maxShardBytes: 20_000 });
    model.dispose();
    const indexPath = join(sharded, "model.safetensors.index.json");
    const index = JSON.parse(await readFile(indexPath, "utf8"));
    for (const bad of ["../../elsewhere/model.safetensors", "/etc/passwd", "."]) {
      index.weight_map["model.norm.weight"] = bad;
      await writeFile(indexPath, JSON.stringify(index));
      const error = (await loadLlama(sharded).catch((e: unknown) => e)) as Error;
      expect(error, bad).toBeInstanceOf(RangeError);
      expect(error.message).toContain(`weight_map['model.norm.weight'] = '${bad}' points outside`);
    }
  });
});
