import { describe, expect, it } from "vitest";
import { readFixture } from "../test/fixtures.ts";
import { toyTokenizer } from "../test/toy_tokenizer.ts";
import { buildHybridPairs, type ScoredPrompt } from "./build_hybrid_pairs.ts";
import { tokenizePreferenceRow } from "./tokenize_preference_row.ts";

type Expected = { pair: [number, number] | null; skip: string | null }[];
const ref = readFixture<{ prompts: ScoredPrompt[]; chars: Expected; tokens: Expected }>("hybrid_cases.json");

describe("buildHybridPairs", () => {
  it.each(["chars", "tokens"] as const)("matches the reference rules with %s lengths", (unit) => {
    const result = buildHybridPairs(ref.prompts, { lengthUnit: unit, tokenizer: toyTokenizer() });
    const got: Expected = ref.prompts.map((_, i) => {
      const pair = result.pairs.find((p) => p.promptIndex === i);
      const skip = result.skippedPrompts.find((s) => s.promptIndex === i);
      return { pair: pair ? [pair.chosenIndex, pair.rejectedIndex] : null, skip: skip?.reason ?? null };
    });
    expect(got).toEqual(ref[unit]);
    expect(result.skipped).toEqual({ "all-equal-scores": 1, "too-few-responses": 1 });
  });

  it("uses given ids for token lengths, and returns trainable rows", () => {
    const prompts: ScoredPrompt[] = [
      {
        prompt: "q",
        responses: [
          { text: "long text", score: 2, ids: [1] },
          { text: "x", score: 2, ids: [1, 2, 3] },
          { text: "y", score: 0 },
        ],
      },
    ];
    expect(() => buildHybridPairs(prompts, { lengthUnit: "tokens" })).toThrow(/no ids/);
    const { pairs } = buildHybridPairs(prompts, { lengthUnit: "tokens", tokenizer: toyTokenizer() });
    expect(pairs[0]?.chosenIndex).toBe(0);
    const f = tokenizePreferenceRow(pairs[0]!.row, toyTokenizer());
    expect(f.chosenLabels.filter((l) => l !== -100).length).toBeGreaterThan(0);
    expect(() => buildHybridPairs([{ prompt: "q", responses: [{ text: "a", score: Number.NaN }] }])).toThrow(
      TypeError,
    );
  });
});
