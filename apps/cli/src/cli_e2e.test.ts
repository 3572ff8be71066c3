import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "./main.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** The bin test runs the TypeScript source through tsx when the workspace has it. */
function hasTsx(): boolean {
  try {
    createRequire(import.meta.url).resolve("tsx");
    return true;
  } catch {
    return false;
  }
}

function capture() {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => lines.push(l), err: { write: () => true } } };
}

describe("wpo train (embedded demo, shortened)", () => {
  it("runs the whole pipeline and writes metrics, report, summary and a loadable checkpoint", async () => {
    const out = mkdtempSync(join(tmpdir(), "wpo-demo-"));
    const { lines, io } = capture();
    const code = await runCli(
      [
        "train",
        "--backend=wasm",
        `--output_dir=${out}`,
        "--num_prompts=8",
        "--num_eval_prompts=4",
        "--samples_per_prompt=4",
        "--max_new_tokens=16",
        "--num_train_epochs=2",
        "--per_device_train_batch_size=4",
      ],
      io,
    );
    expect(code).toBe(0);
    for (const f of [
      "metrics.jsonl",
      "report.html",
      "report.svg",
      "summary.json",
      "pairs.jsonl",
      "samples.jsonl",
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.pairs).toBeGreaterThan(0);
    expect(summary.steps).toBeGreaterThan(0);
    for (const v of [
      summary.initial.meanReward,
      summary.trained.meanReward,
      summary.winRate,
      summary.trained.fluency,
    ]) {
      expect(Number.isFinite(v)).toBe(true);
    }
    expect(summary.wpoWeight.first).toBeGreaterThan(0);
    expect(summary.wpoWeight.first).toBeLessThanOrEqual(1);
    const ckpt = join(out, `checkpoint-${summary.steps}`);
    for (const f of [
      "model.safetensors",
      "config.json",
      "optimizer.safetensors",
      "trainer_state.json",
      "manifest.json",
    ]) {
      expect(existsSync(join(ckpt, f)), f).toBe(true);
    }
    const records = readFileSync(join(out, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const train = records.filter((r) => "loss" in r);
    expect(train[0]).toHaveProperty("rewards/accuracies");
    expect(train[0]).toHaveProperty("learning_rate");
    expect(records[0]).toMatchObject({ step: 0 });
    expect(records.some((r) => "eval_rewards/margins" in r)).toBe(true);
    expect(lines.join("\n")).toMatch(/win rate of trained vs initial/);
  });
});

describe("wpo train --data, resume and bad input", () => {
  it("trains on a file, resumes after a stop, and reports bad input as `wpo: <message>`", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wpo-data-"));
    const data = join(dir, "pairs.jsonl");
    const rows = [
      ["Lily went to the park.", " She smiled and laughed.", " She was sad."],
      ["Tom had a ball.", " He had fun with his friends.", " He cried."],
      ["The sun was bright.", " Everyone was happy.", " Everyone was mad."],
      ["A dog ran.", " The dog was glad.", " The dog was scared."],
    ];
    writeFileSync(
      data,
      rows.map(([prompt, chosen, rejected]) => JSON.stringify({ prompt, chosen, rejected })).join("\n"),
    );
    const out = join(dir, "run");
    const base = [
      "train",
      `--data=${data}`,
      "--backend=cpu",
      `--output_dir=${out}`,
      "--per_device_train_batch_size=2",
    ];
    const args = [
      ...base,
      "--num_train_epochs=2",
      "--learning_rate=1e-3",
      "--save_steps=1",
      "--logging_steps=1",
    ];
    expect(await runCli([...args, "--stop_after_steps=2"], capture().io)).toBe(0);
    expect(existsSync(join(out, "checkpoint-2"))).toBe(true);
    expect(await runCli([...args, "--resume"], capture().io)).toBe(0);
    const steps = readFileSync(join(out, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).step);
    expect(steps).toEqual([1, 2, 3, 4]);
    await expect(runCli([...base, "--loss_type=nope"], capture().io)).rejects.toThrow(
      /Unknown preference loss 'nope'/,
    );
    await expect(
      runCli([...base, `--output_dir=${join(dir, "other")}`, "--model=/no/such/model"], capture().io),
    ).rejects.toThrow(/does not exist/);
    await expect(runCli(base, capture().io)).rejects.toThrow(/already holds a run/);
    writeFileSync(join(dir, "bad.jsonl"), '{"prompt": "x"}\n');
    await expect(
      runCli(
        ["train", `--data=${join(dir, "bad.jsonl")}`, "--backend=cpu", `--output_dir=${join(dir, "bad")}`],
        capture().io,
      ),
    ).rejects.toThrow(/bad\.jsonl/);
  });

  it.skipIf(!hasTsx())("the bin prints `wpo: <message>` and exits 1 without a stack trace", () => {
    const r = spawnSync(
      process.execPath,
      ["--conditions=@wpo/source", "--import", "tsx", join(here, "bin.ts"), "train", "--learning_rat", "1"],
      { encoding: "utf8" },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("wpo: Unknown option --learning_rat. Did you mean --learning_rate?");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("wpo help, tokenize, pairs", () => {
  it("prints help and visualises tokens; builds pairs from scored samples", async () => {
    const a = capture();
    await runCli(["help"], a.io);
    expect(a.lines.join("\n")).toContain("experiment dpo-vs-wpo");
    const b = capture();
    await runCli(["tokenize", "--text", "Once upon a time", "--color=false"], b.io);
    expect(b.lines[0]).toBe("Once|upon|a|time");
    const dir = mkdtempSync(join(tmpdir(), "wpo-pairs-"));
    writeFileSync(
      join(dir, "s.jsonl"),
      `${JSON.stringify({
        prompt: "p",
        responses: [
          { text: "happy fun", score: 2 },
          { text: "sad", score: -1 },
          { text: "ok", score: 0 },
        ],
      })}\n${JSON.stringify({
        prompt: "q",
        responses: [
          { text: "a", score: 0 },
          { text: "b", score: 0 },
        ],
      })}\n`,
    );
    const c = capture();
    await runCli(["pairs", `--input=${join(dir, "s.jsonl")}`, `--output=${join(dir, "p.jsonl")}`], c.io);
    const pairs = readFileSync(join(dir, "p.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(pairs).toEqual([
      {
        prompt: "p",
        chosen: "happy fun",
        rejected: "sad",
        chosen_score: 2,
        rejected_score: -1,
        chosen_source: "on_policy",
        rejected_source: "on_policy",
      },
    ]);
  });
});

describe("kill and resume", () => {
  it.skipIf(!hasTsx())(
    "a run killed (SIGKILL) mid-way and resumed ends with the same weights as an uninterrupted run",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "wpo-kill-"));
      const data = join(dir, "pairs.jsonl");
      const rows = [
        ["Lily went to the park.", " She smiled and laughed.", " She was sad."],
        ["Tom had a ball.", " He had fun with his friends.", " He cried."],
      ];
      writeFileSync(
        data,
        rows.map(([prompt, chosen, rejected]) => JSON.stringify({ prompt, chosen, rejected })).join("\n"),
      );
      const common = [
        `--data=${data}`,
        "--backend=cpu",
        "--per_device_train_batch_size=1",
        "--num_train_epochs=6",
      ];
      const settings = [...common, "--learning_rate=1e-3", "--save_steps=1", "--logging_steps=1", "--seed=3"];
      const full = join(dir, "full");
      expect(await runCli(["train", ...settings, `--output_dir=${full}`], capture().io)).toBe(0);
      const killed = join(dir, "killed");
      const child = spawn(
        process.execPath,
        [
          "--conditions=@wpo/source",
          "--import",
          "tsx",
          join(here, "bin.ts"),
          "train",
          ...settings,
          `--output_dir=${killed}`,
        ],
        { stdio: "ignore" },
      );
      const exited = new Promise<void>((res) => child.on("exit", () => res()));
      for (let i = 0; i < 1200 && !existsSync(join(killed, "checkpoint-3", "manifest.json")); i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
      child.kill("SIGKILL");
      await exited;
      expect(existsSync(join(killed, "checkpoint-12"))).toBe(false);
      expect(await runCli(["train", ...settings, `--output_dir=${killed}`, "--resume"], capture().io)).toBe(
        0,
      );
      const a = readFileSync(join(full, "checkpoint-12", "model.safetensors"));
      const b = readFileSync(join(killed, "checkpoint-12", "model.safetensors"));
      expect(Buffer.compare(a, b)).toBe(0);
    },
  );
});
