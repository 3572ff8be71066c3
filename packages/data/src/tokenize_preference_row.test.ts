import { describe, expect, it } from "vitest";
import { readFixture } from "../test/fixtures.ts";
import { toyTokenizer } from "../test/toy_tokenizer.ts";
import { formatPreferenceRow } from "./format_preference_row.ts";
import { parsePreferenceRow } from "./parse_preference_row.ts";
import { tokenizePreferenceRow } from "./tokenize_preference_row.ts";

interface Case {
  name: string;
  row: unknown;
  hh: boolean;
  eosId: number;
  maxLength: number;
  maxPromptLength: number;
  truncationMode: "keep_end" | "keep_start";
  insertEmptySystemMessage?: boolean;
  expected: Record<string, number[]> & { texts: { prompt: string; chosen: string; rejected: string } };
}

const cases = readFixture<Case[]>("tokenize_cases.json");

describe("tokenizePreferenceRow matches TRL 0.9.6 (tools/reference/data_ref.py)", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const row = parsePreferenceRow(c.row, { schema: c.hh ? "hh" : "auto" });
    const tokenizer = toyTokenizer(c.eosId);
    const options = {
      maxLength: c.maxLength,
      maxPromptLength: c.maxPromptLength,
      truncationMode: c.truncationMode,
      insertEmptySystemMessage: c.insertEmptySystemMessage ?? false,
    };
    expect(formatPreferenceRow(row, tokenizer, options)).toEqual(c.expected.texts);
    const f = tokenizePreferenceRow(row, tokenizer, options);
    expect(f.promptInputIds).toEqual(c.expected.prompt_input_ids);
    expect(f.chosenInputIds).toEqual(c.expected.chosen_input_ids);
    expect(f.chosenAttentionMask).toEqual(c.expected.chosen_attention_mask);
    expect(f.chosenLabels).toEqual(c.expected.chosen_labels);
    expect(f.rejectedInputIds).toEqual(c.expected.rejected_input_ids);
    expect(f.rejectedAttentionMask).toEqual(c.expected.rejected_attention_mask);
    expect(f.rejectedLabels).toEqual(c.expected.rejected_labels);
    expect(f.chosenInputIds.length).toBeLessThanOrEqual(c.maxLength);
  });

  it("reports truncation", () => {
    const byName = (n: string) => cases.find((c) => c.name.startsWith(n))!;
    const run = (c: Case) =>
      tokenizePreferenceRow(parsePreferenceRow(c.row), toyTokenizer(c.eosId), {
        maxLength: c.maxLength,
        maxPromptLength: c.maxPromptLength,
        truncationMode: c.truncationMode,
      });
    const prompt = run(byName("long prompt keep_end"));
    expect([prompt.promptTruncated, prompt.responsesTruncated]).toEqual([true, false]);
    const responses = run(byName("long responses"));
    expect([responses.promptTruncated, responses.responsesTruncated]).toEqual([false, true]);
    expect(responses.chosenLabels.filter((l) => l !== -100)).toHaveLength(48);
    const none = run(byName("multi-turn"));
    expect([none.promptTruncated, none.responsesTruncated]).toEqual([false, false]);
  });

  it("uses the configured EOS and rejects tokenizers without BOS", () => {
    const row = { prompt: "a", chosen: "b", rejected: "c" };
    expect(tokenizePreferenceRow(row, toyTokenizer(2), { eosId: 3 }).chosenInputIds.at(-1)).toBe(3);
    const noBos = { ...toyTokenizer(), bosTokenId: undefined };
    expect(() => tokenizePreferenceRow(row, noBos)).toThrow(/no BOS id/);
  });

  it("rejects rows whose chosen and rejected prompts differ", () => {
    const tokenizer = toyTokenizer();
    const bad = {
      prompt: "q",
      chosen: [
        { role: "user", content: "one thing" },
        { role: "assistant", content: "a" },
      ],
      rejected: [
        { role: "user", content: "another" },
        { role: "assistant", content: "b" },
      ],
    };
    const f = tokenizePreferenceRow(bad, tokenizer);
    // The prompt comes from chosen[:-1]; rejected contributes only its last turn (as in WPO).
    expect(f.rejectedInputIds.slice(0, 5)).toEqual(f.chosenInputIds.slice(0, 5));
    expect(() => formatPreferenceRow({ prompt: "q", chosen: "a", rejected: [] }, tokenizer)).toThrow(
      TypeError,
    );
  });
});
