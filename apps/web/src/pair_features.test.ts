import { readFileSync } from "node:fs";
import { Tokenizer } from "@wpo/tokenizer";
import { describe, expect, it } from "vitest";
import { demoPairs } from "./demo_pairs.ts";
import { PAGE_LIMITS, pairFeatures } from "./pair_features.ts";

const tokenizer = Tokenizer.fromLlama2c(
  new Uint8Array(readFileSync(new URL("../../../assets/tok512.bin", import.meta.url))),
);

describe("pairFeatures", () => {
  it("tokenises the demo pairs as TRL does: BOS first, EOS last, prompt labels -100", () => {
    const { features, padTokenId } = pairFeatures(demoPairs(), { tokenizer, ...PAGE_LIMITS, vocabSize: 512 });
    expect(features).toHaveLength(16);
    expect(padTokenId).toBe(tokenizer.padTokenId ?? tokenizer.eosTokenId);
    for (const f of features) {
      expect(f.chosenInputIds[0]).toBe(tokenizer.bosTokenId);
      expect(f.chosenInputIds.at(-1)).toBe(tokenizer.eosTokenId);
      expect(f.rejectedInputIds.at(-1)).toBe(tokenizer.eosTokenId);
      const promptLength = f.promptInputIds.length;
      expect(f.chosenLabels.slice(0, promptLength).every((l) => l === -100)).toBe(true);
      expect(f.chosenLabels.slice(promptLength)).toEqual(f.chosenInputIds.slice(promptLength));
    }
  });

  it("rejects ids outside the model's vocabulary on the CPU, naming the pair", () => {
    expect(() => pairFeatures(demoPairs(), { tokenizer, ...PAGE_LIMITS, vocabSize: 100 })).toThrow(
      /pair 0 chosen ids: token id \d+ at position \d+ is outside the vocabulary \[0, 100\)/,
    );
  });
});
