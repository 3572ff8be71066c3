import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "@wpo/backends";
import { loadLlamaRewardModel } from "@wpo/llama";
import { CHAT_TEMPLATES, rewardInputIds } from "@wpo/pipeline";
import { describe, expect, it } from "vitest";
import { writeTinyRewardModel } from "../test/tiny_reward_model.ts";
import { resolveAsset } from "./assets_path.ts";
import { loadTokenizer } from "./load_inputs.ts";
import { runCli } from "./main.ts";

describe("wpo score", () => {
  it("scores samples with a reward model (chat-formatted, batched) and answers with the built-in reward", async () => {
    await initBackend("cpu");
    const dir = mkdtempSync(join(tmpdir(), "wpo-score-"));
    const rmDir = join(dir, "rm");
    await writeTinyRewardModel(rmDir);
    const samples = join(dir, "samples.jsonl");
    writeFileSync(
      samples,
      `${JSON.stringify({ prompt: "Tell a story.", responses: [{ text: " Lily smiled." }, { text: " Tom cried a lot and was sad." }, { text: "" }] })}\n`,
    );
    const io = { out: () => {}, err: { write: () => true } };
    const tok512 = resolveAsset("tok512.bin");
    const out = join(dir, "scored.jsonl");
    await runCli(
      [
        "score",
        "--input",
        samples,
        "--output",
        out,
        "--reward_model",
        rmDir,
        "--tokenizer",
        tok512,
        "--chat_template",
        "hh",
        "--batch_size",
        "2",
        "--backend",
        "cpu",
      ],
      io,
    );
    const row = JSON.parse(readFileSync(out, "utf8"));
    const scores = row.responses.map((r: { score: number }) => r.score);
    expect(scores.every(Number.isFinite)).toBe(true);
    // each batched score equals the sequence scored alone through the chat template
    await initBackend("cpu");
    const rm = await loadLlamaRewardModel(rmDir);
    const tok = await loadTokenizer(tok512, undefined);
    for (const [i, r] of row.responses.entries()) {
      const ids = rewardInputIds(tok, { prompt: "Tell a story.", response: r.text }, CHAT_TEMPLATES.hh);
      const [alone] = await rm.scoreIds([ids]);
      expect(Math.abs(alone![0]! - scores[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(scores[i])));
    }
    rm.dispose();
    const answers = join(dir, "a.json");
    writeFileSync(answers, JSON.stringify([{ instruction: "x", output: "happy happy", generator: "g" }]));
    await runCli(
      ["score", "--input", answers, "--output", join(dir, "a_scored.json"), "--reward", "builtin"],
      io,
    );
    expect(JSON.parse(readFileSync(join(dir, "a_scored.json"), "utf8"))[0].score).toBe(2);
  }, 120_000);
});
