import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTokenizer } from "./load_inputs.ts";
import { runCli } from "./main.ts";
import { loadPairs } from "./train_command.ts";
import { resolveTrainOptions } from "./train_options.ts";

describe("wpo pairs from several sources", () => {
  it("merges samples and answer files, tags sources, summarises, and trains with a chat template", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wpo-src-"));
    const tok = await loadTokenizer(undefined, undefined);
    const sampled = tok.encode(" Once upon a time", { addSpecialTokens: false });
    writeFileSync(
      join(dir, "samples.jsonl"),
      `${JSON.stringify({
        prompt: "Tell a story.",
        templated: true,
        responses: [
          { text: " Once upon a time", ids: sampled, stop: 2, score: 0.5 },
          { text: " No.", ids: tok.encode(" No.", { addSpecialTokens: false }), score: -1 },
        ],
      })}\n`,
    );
    writeFileSync(
      join(dir, "gpt4.json"),
      JSON.stringify([
        { instruction: "Tell a story.", output: "Lily smiled.", generator: "gpt-4-turbo", score: 2 },
        { instruction: "Say hi.", output: "Hi!", generator: "gpt-4-turbo", score: 1 },
        { instruction: "Say hi.", output: "bad row" },
      ]),
    );
    writeFileSync(
      join(dir, "dataset.jsonl"),
      `${JSON.stringify({ prompt: "Say hi.", output: "Go away.", score: -2, source: "dataset" })}\n`,
    );
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: { write: () => true } };
    const inputs = ["samples.jsonl", "gpt4.json", "dataset.jsonl"].map((f) => join(dir, f)).join(",");
    const out = join(dir, "pairs.jsonl");
    await runCli(["pairs", "--input", inputs, "--output", out, "--on_bad_row", "skip"], io);
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.chosen_source, r.rejected_source])).toEqual([
      ["gpt-4-turbo", "on_policy"],
      ["gpt-4-turbo", "dataset"],
    ]);
    expect(rows[0].chosen).toEqual([
      { role: "user", content: "Tell a story." },
      { role: "assistant", content: "Lily smiled." },
    ]);
    expect(lines.some((l) => /gpt-4-turbo\s+2\s+2\s+0/.test(l))).toBe(true);
    expect(lines.some((l) => /on_policy\s+2\s+0\s+1/.test(l))).toBe(true);
    expect(lines[0]).toContain("bad rows skipped: 1");
    const features = await loadPairs(out, {
      tokenizer: tok,
      options: resolveTrainOptions({ data: out, chat_template: "hh" }),
      vocabSize: 512,
      out: () => {},
    });
    expect(features).toHaveLength(2);
    const f = features[0]!;
    const rejected = f.rejectedInputIds;
    // the on-policy rejected side ends with exactly its sampled ids (no stop: EOS appended)
    const noIds = tok.encode(" No.", { addSpecialTokens: false });
    expect(rejected.slice(-noIds.length - 1)).toEqual([...noIds, 2]);
  });
});
