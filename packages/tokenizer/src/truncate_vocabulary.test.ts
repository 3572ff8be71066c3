import { readFileSync } from "node:fs";
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
import { describe, expect, it } from "vitest";
import { hhTranscripts, lenmlTokenizerPath, randomString, seededRandom } from "../test/support.ts";
import { Tokenizer } from "./tokenizer.ts";
import { truncateVocabulary } from "./truncate_vocabulary.ts";

const path = lenmlTokenizerPath("tokenizer-llama3_1");
const full = JSON.parse(readFileSync(path, "utf8"));
const config = JSON.parse(readFileSync(path.replace("tokenizer.json", "tokenizer_config.json"), "utf8"));

describe("truncateVocabulary (Llama 3 -> smaller vocabularies)", () => {
  for (const size of [49152, 32000, 1024]) {
    it(`${size}: valid, ids < ${size}, round-trips text, same ids as the reference implementation`, () => {
      const { tokenizer: json, tokenizerConfig } = truncateVocabulary(full, size, {
        tokenizerConfig: config,
      });
      const ours = Tokenizer.fromJSON(json, tokenizerConfig);
      const oracle = new HfTokenizer(json, tokenizerConfig!);
      expect(ours.vocabSize).toBe(size);
      expect(ours.tokenToId("<|begin_of_text|>")).toBe(size - 256);
      expect(ours.tokenToId("<|eot_id|>")).toBe(size - 247);
      expect(ours.bosTokenId).toBe(size - 256);
      const rand = seededRandom(size);
      const texts = [
        ...hhTranscripts(20),
        ...Array.from({ length: 200 }, () => randomString(rand, 30, ["<|eot_id|>", "<|begin_of_text|>"])),
      ];
      for (const text of texts) {
        const ids = ours.encode(text, { addSpecialTokens: false });
        expect(Math.max(-1, ...ids)).toBeLessThan(size);
        expect(ids).toEqual(oracle.encode(text, { add_special_tokens: false }).ids);
        expect(ours.decode(ids)).toBe(text);
      }
      const chat = ours.applyChatTemplate([{ role: "user", content: "Hi there" }], {
        addGenerationPrompt: true,
        tokenize: true,
      }) as number[];
      expect(chat[0]).toBe(size - 256);
      expect(chat).toContain(size - 247);
    });
  }

  it("keeps the full vocabulary as is, and refuses impossible sizes", () => {
    const same = truncateVocabulary(full, 128256);
    expect(Object.keys((same.tokenizer.model as { vocab: object }).vocab).length).toBe(128000);
    expect(same.addedIds.get(128009)).toBe(128009);
    expect(() => truncateVocabulary(full, 500)).toThrow(/must be an integer in \[512, 128256\]/);
    expect(() => truncateVocabulary(full, 200000)).toThrow(RangeError);
    expect(() => truncateVocabulary({ model: { type: "WordPiece" } }, 10)).toThrow(/BPE model/);
  });
});
