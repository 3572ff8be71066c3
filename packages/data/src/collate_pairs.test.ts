import { describe, expect, it } from "vitest";
import { readFixture } from "../test/fixtures.ts";
import { toyTokenizer } from "../test/toy_tokenizer.ts";
import { collatePairs } from "./collate_pairs.ts";
import { parsePreferenceRow } from "./parse_preference_row.ts";
import { tokenizePreferenceRow } from "./tokenize_preference_row.ts";

interface TokenizeCase {
  name: string;
  row: unknown;
  eosId: number;
  maxLength: number;
  maxPromptLength: number;
  truncationMode: "keep_end" | "keep_start";
}

describe("collatePairs", () => {
  it("matches TRL's collator + concatenated_inputs", () => {
    const ref = readFixture<{
      caseNames: string[];
      padTokenId: number;
      expected: { input_ids: number[][]; attention_mask: number[][]; labels: number[][] };
    }>("collate_cases.json");
    const cases = readFixture<TokenizeCase[]>("tokenize_cases.json");
    const features = ref.caseNames.map((name) => {
      const c = cases.find((x) => x.name === name)!;
      return tokenizePreferenceRow(parsePreferenceRow(c.row), toyTokenizer(c.eosId), c);
    });
    const batch = collatePairs(features, { padTokenId: ref.padTokenId });
    expect(batch.batchSize).toBe(10);
    expect(batch.numPairs).toBe(5);
    expect(batch.seqLen).toBe(ref.expected.input_ids[0]!.length);
    expect(Array.from(batch.inputIds)).toEqual(ref.expected.input_ids.flat());
    expect(Array.from(batch.attentionMask)).toEqual(ref.expected.attention_mask.flat());
    expect(Array.from(batch.labels)).toEqual(ref.expected.labels.flat());
  });

  it("rejects an empty batch and a missing pad id", () => {
    expect(() => collatePairs([], { padTokenId: 0 })).toThrow(RangeError);
    const f = tokenizePreferenceRow({ prompt: "a", chosen: "b", rejected: "c" }, toyTokenizer());
    expect(() => collatePairs([f], { padTokenId: undefined as unknown as number })).toThrow(TypeError);
  });
});
