import { describe, expect, it } from "vitest";
import { readFixture } from "../test/fixtures.ts";
import { buildPairFeatures } from "./build_pair_features.ts";

interface Case {
  promptIds: number[];
  chosenIds: number[];
  rejectedIds: number[];
  maxLength: number;
  maxPromptLength: number;
  truncationMode: "keep_end" | "keep_start";
  expected: Record<string, number[]>;
}

describe("buildPairFeatures", () => {
  const cases = readFixture<Case[]>("pair_feature_cases.json");
  it.each(cases.map((c, i) => [i, c] as const))("matches the reference, case %i", (_i, c) => {
    const f = buildPairFeatures(c, { ...c, bosId: 1, eosId: 2 });
    expect(f.promptInputIds).toEqual(c.expected.prompt_input_ids);
    expect(f.chosenInputIds).toEqual(c.expected.chosen_input_ids);
    expect(f.chosenLabels).toEqual(c.expected.chosen_labels);
    expect(f.chosenAttentionMask).toEqual(c.expected.chosen_attention_mask);
    expect(f.rejectedInputIds).toEqual(c.expected.rejected_input_ids);
    expect(f.rejectedLabels).toEqual(c.expected.rejected_labels);
    expect(f.rejectedAttentionMask).toEqual(c.expected.rejected_attention_mask);
  });

  it("cuts responses to maxLength - maxPromptLength even with a short prompt (spec 6.3)", () => {
    const f = buildPairFeatures(
      { promptIds: [9], chosenIds: new Array(30).fill(7), rejectedIds: [8] },
      { bosId: 1, eosId: 2, maxLength: 20, maxPromptLength: 15 },
    );
    expect(f.chosenInputIds).toEqual([1, 9, 7, 7, 7, 7, 7]);
    expect(f.rejectedInputIds).toEqual([1, 9, 8, 2]);
    expect(f.responsesTruncated).toBe(true);
    expect(f.untruncatedLengths).toEqual({ prompt: 2, chosen: 31, rejected: 2 });
  });

  it("does not mutate its inputs", () => {
    const pair = { promptIds: [5], chosenIds: [6], rejectedIds: [7] };
    buildPairFeatures(pair, { bosId: 1, eosId: 2 });
    expect(pair).toEqual({ promptIds: [5], chosenIds: [6], rejectedIds: [7] });
  });

  it("validates options", () => {
    const pair = { promptIds: [], chosenIds: [], rejectedIds: [] };
    expect(() => buildPairFeatures(pair, { bosId: 1, eosId: 2, maxLength: 10, maxPromptLength: 10 })).toThrow(
      RangeError,
    );
    expect(() => buildPairFeatures(pair, { bosId: 1, eosId: 2, maxLength: 0 })).toThrow(/positive integer/);
    expect(() =>
      buildPairFeatures(pair, { bosId: 1, eosId: 2, truncationMode: "middle" as "keep_end" }),
    ).toThrow(/truncationMode/);
    expect(() =>
      buildPairFeatures({ ...pair, chosenIds: "x" as unknown as number[] }, { bosId: 1, eosId: 2 }),
    ).toThrow(TypeError);
  });
});
