import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { metricSteps, tempDir, tinyData, toyTokenizer, wpo, wpoProcess } from "./_harness.ts";

describe("faults: training health and interrupts", { timeout: 240_000 }, () => {
  const dir = tempDir();
  const data = tinyData(dir);
  const base = (out: string) => [
    "train",
    `--data=${data}`,
    "--backend=cpu",
    `--output_dir=${join(dir, out)}`,
    "--per_device_train_batch_size=2",
    "--logging_steps=1",
  ];

  it("a learning rate that collapses the logits stops with the likely cause; earlier metrics stay", async () => {
    const r = await wpo([...base("collapse"), "--num_train_epochs=6", "--learning_rate=1000"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^wpo: Training collapsed at step 4: the gradient norm was 0 for 3 steps .*Lower --learning_rate/,
    );
    expect(metricSteps(join(dir, "collapse", "metrics.jsonl"))).toEqual([1, 2, 3]);
  });

  it("chosen == rejected and empty rendered responses are reported; all degenerate is an error", async () => {
    const same = join(dir, "same.jsonl");
    const row = (chosen: string, rejected: string) =>
      JSON.stringify({ prompt: "A dog ran.", chosen, rejected });
    writeFileSync(
      same,
      [row(" It was glad.", " It was glad."), row(" Fun.", " Sad."), row(" Hi.", " Hi.")].join("\n"),
    );
    const r = await wpo([...base("same"), `--data=${same}`, "--max_steps=1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `warning: data ${same}: 2 of 3 pairs have identical chosen and rejected responses (rows 1, 3)`,
    );
    writeFileSync(same, [row(" It was glad.", " It was glad.")].join("\n"));
    const all = await wpo([...base("same2"), `--data=${same}`]);
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(
      /^wpo: Data file '.*same\.jsonl': 1 of 1 pairs have identical .* No pair is left to learn from\./,
    );
    const t = join(dir, "emptytpl");
    mkdirSync(t);
    const chat = join(t, "chat.jsonl");
    const msgs = (a: string) => [
      { role: "user", content: "Hi" },
      { role: "assistant", content: a },
    ];
    writeFileSync(chat, `${JSON.stringify({ chosen: msgs("Hello"), rejected: msgs("Go") })}\n`);
    const tok = toyTokenizer(t, { chatTemplate: "{% for m in messages %}{% endfor %}" });
    const empty = await wpo([...base("empty"), `--data=${chat}`, `--tokenizer=${tok}`]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(
      /^wpo: Data file '.*chat\.jsonl': 1 of 1 pairs have an empty chosen or rejected response after templating \(row 1\)/,
    );
  });

  it("SIGINT finishes the step, writes a checkpoint and prints the resume command, which completes the run", async () => {
    const args = [...base("interrupted"), "--num_train_epochs=10", "--learning_rate=1e-3"];
    let sent = false;
    const r = await wpoProcess(args, {
      timeoutMs: 180_000,
      onStdout: (text, kill) => {
        if (!sent && text.includes("training:")) {
          sent = true;
          setTimeout(() => kill("SIGINT"), 300);
        }
      },
    });
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/SIGINT: finishing step \d+, then writing a checkpoint/);
    const m = /interrupted \(SIGINT\) at step (\d+)\/20; checkpoint: (.*)/.exec(r.stdout);
    expect(m).not.toBeNull();
    const step = Number(m![1]);
    expect(step).toBeLessThan(20);
    expect(existsSync(join(m![2]!, "manifest.json"))).toBe(true);
    const resume = /resume with: wpo (.*)/.exec(r.stdout)![1]!.split(" ");
    expect(resume.at(-1)).toBe("--resume");
    const done = await wpo(resume);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(new RegExp(`resumed from .*checkpoint-${step} at step ${step}`));
    expect(metricSteps(join(dir, "interrupted", "metrics.jsonl"))).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });
});
