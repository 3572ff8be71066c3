import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { metricSteps, snapshot, tempDir, tinyData, tinyTrainArgs, wpo } from "./_harness.ts";

describe("faults: output folders and resume", { timeout: 240_000 }, () => {
  const dir = tempDir();
  const data = tinyData(dir);
  const out = join(dir, "run");
  const args = tinyTrainArgs(data, out);

  it("refuses a folder holding another run unless --resume or --overwrite_output_dir, changing nothing", async () => {
    expect((await wpo([...args, "--stop_after_steps=3"])).code).toBe(0);
    const before = snapshot(out);
    const r = await wpo([...args, "--max_steps=2"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^wpo: Output folder '.*run' already holds a run \(checkpoint-1, checkpoint-2, checkpoint-3, metrics\.jsonl\): pass --resume/,
    );
    expect(snapshot(out)).toEqual(before);
  });

  it("refuses a resume whose data, batch or loss differ, naming the keys and values", async () => {
    const before = snapshot(out);
    const batch = await wpo([...args, "--resume", "--per_device_train_batch_size=4"]);
    expect(batch.code).toBe(1);
    expect(batch.stderr).toMatch(
      /^wpo: Checkpoint '.*checkpoint-3' comes from a run with different batch, schedule:/,
    );
    expect(batch.stderr).toContain("batch: perDeviceTrainBatchSize=2 -> perDeviceTrainBatchSize=4");
    const loss = await wpo([...args, "--resume", "--loss_type=ipo", "--beta=0.5"]);
    expect(loss.stderr).toMatch(
      /^wpo: .*different loss:\n {2}loss: lossType=sigmoid beta=0.1 -> lossType=ipo beta=0.5/,
    );
    const other = tinyData(dir, "other.jsonl");
    writeFileSync(other, `${readFileSync(other, "utf8").replace("park", "zoo")}`);
    const d = await wpo([...tinyTrainArgs(other, out), "--resume"]);
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/different data:\n {2}data: [0-9a-f]{16} -> [0-9a-f]{16}/);
    expect(snapshot(out)).toEqual(before);
  });

  it("resume trims metrics.jsonl to the checkpoint and removes dead checkpoint temporaries", async () => {
    rmSync(join(out, "checkpoint-3"), { recursive: true });
    mkdirSync(join(out, "checkpoint-3.tmp-999999999-1"));
    expect(metricSteps(join(out, "metrics.jsonl"))).toEqual([1, 2, 3]);
    const r = await wpo([...args, "--resume"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("resumed from");
    expect(r.stdout).toContain("removed an interrupted checkpoint write");
    expect(metricSteps(join(out, "metrics.jsonl"))).toEqual([1, 2, 3, 4]);
    expect(existsSync(join(out, "checkpoint-3.tmp-999999999-1"))).toBe(false);
  });

  it("--overwrite_output_dir replaces the earlier run: no stale checkpoint stays for a later --resume", async () => {
    const r = await wpo([...args, "--max_steps=2", "--overwrite_output_dir"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/replacing the earlier run/);
    expect(existsSync(join(out, "checkpoint-3"))).toBe(false);
    expect(existsSync(join(out, "checkpoint-4"))).toBe(false);
    expect(metricSteps(join(out, "metrics.jsonl"))).toEqual([1, 2]);
  });

  it("--resume with nothing to resume, and the demo and experiment, refuse it clearly", async () => {
    const none = await wpo([...tinyTrainArgs(data, join(dir, "empty")), "--resume"]);
    expect(none.stderr).toMatch(/^wpo: --resume: output folder .* holds no run to continue/);
    const demo = await wpo(["train", "--resume", `--output_dir=${join(dir, "d")}`]);
    expect(demo.code).toBe(1);
    expect(demo.stderr).toMatch(/^wpo: --resume: the demo samples new pairs on every run/);
    const exp = await wpo(["experiment", "dpo-vs-wpo", "--resume", `--output_dir=${join(dir, "e")}`]);
    expect(exp.stderr).toMatch(/^wpo: --resume: `wpo experiment` samples new pairs/);
  });
});
