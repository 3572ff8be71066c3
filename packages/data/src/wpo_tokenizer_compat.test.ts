import { readFileSync } from "node:fs";
import { Tokenizer } from "@wpo/tokenizer";
import { describe, expect, it } from "vitest";
import { assetPath } from "../test/fixtures.ts";
import { collatePairs } from "./collate_pairs.ts";
import type { PreferenceTokenizer } from "./preference_tokenizer.ts";
import { tokenizePreferenceRow } from "./tokenize_preference_row.ts";

describe("@wpo/tokenizer compatibility", () => {
  it("tokenises plain rows with the llama2.c tok512 tokenizer", () => {
    const tokenizer: PreferenceTokenizer = Tokenizer.fromLlama2c(
      new Uint8Array(readFileSync(assetPath("tok512.bin"))),
    );
    const row = { prompt: "Once upon a time", chosen: " there was a cat.", rejected: " it rained." };
    const f = tokenizePreferenceRow(row, tokenizer, { maxLength: 64, maxPromptLength: 32 });
    expect(f.chosenInputIds[0]).toBe(tokenizer.bosTokenId);
    expect(f.chosenInputIds.at(-1)).toBe(tokenizer.eosTokenId);
    expect(f.chosenLabels.slice(0, f.promptInputIds.length).every((l) => l === -100)).toBe(true);
    const batch = collatePairs([f], { padTokenId: tokenizer.padTokenId ?? (tokenizer.eosTokenId as number) });
    expect(batch.batchSize).toBe(2);
  });
});
