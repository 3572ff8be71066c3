import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { metricSteps, tempDir, tinyData, tinyTrainArgs, wpo } from "./_harness.ts";

function flipBit(path: string, at = 200): void {
  const bytes = readFileSync(path);
  bytes[at] = bytes[at]! ^ 1;
  writeFileSync(path, bytes);
}

describe("faults: checkpoints", { timeout: 240_000 }, () => {
  const dir = tempDir();
  const data = tinyData(dir);
  const out = join(dir, "run");
  const args = tinyTrainArgs(data, out);

  it("a flipped bit in the newest checkpoint is reported and resume falls back to the previous one", async () => {
    expect((await wpo([...args, "--stop_after_steps=3"])).code).toBe(0);
    flipBit(join(out, "checkpoint-3", "model.safetensors"), 4000);
    const r = await wpo([...args, "--resume"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /warning: Checkpoint '.*checkpoint-3': file 'model.safetensors' does not match its sha256 in manifest.json; the checkpoint is damaged. Falling back to .*checkpoint-2/,
    );
    expect(r.stdout).toMatch(/resumed from .*checkpoint-2 at step 2/);
    expect(metricSteps(join(out, "metrics.jsonl"))).toEqual([1, 2, 3, 4]);
  });

  it("loading a damaged checkpoint as --model is refused with the file named", async () => {
    flipBit(join(out, "checkpoint-4", "model.safetensors"), 4000);
    const r = await wpo(["eval", `--model=${join(out, "checkpoint-4")}`, `--data=${data}`, "--backend=cpu"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^wpo: Checkpoint '.*checkpoint-4': file 'model.safetensors' does not match its sha256/,
    );
  });

  it("a corrupted trainer_state.json (manifest updated to match) is a wpo: error naming the file", async () => {
    const ckpt = join(out, "checkpoint-2");
    const bad = '{"step": 2, "oops';
    writeFileSync(join(ckpt, "trainer_state.json"), bad);
    const manifest = JSON.parse(readFileSync(join(ckpt, "manifest.json"), "utf8"));
    manifest.files["trainer_state.json"] = bad.length;
    manifest.sha256["trainer_state.json"] = createHash("sha256").update(bad).digest("hex");
    writeFileSync(join(ckpt, "manifest.json"), JSON.stringify(manifest));
    for (const n of [3, 4]) flipBit(join(out, `checkpoint-${n}`, "optimizer.safetensors"), 100);
    const r = await wpo([...args, "--resume"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^wpo: Checkpoint '.*checkpoint-2': trainer_state.json does not parse \(.*\); the checkpoint is damaged/,
    );
  });
});
