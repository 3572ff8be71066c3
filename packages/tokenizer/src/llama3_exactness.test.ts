import llama3js from "llama3-tokenizer-js";
import { describe, expect, it } from "vitest";
import { hhTranscripts, loadBoth, randomString, readFixture, seededRandom } from "../test/support.ts";

interface Row {
  text: string;
  ids: number[];
  idsWithSpecial: number[];
  decoded: string;
  llama3js: number[] | null;
}

const { ours, oracle } = loadBoth("tokenizer-llama3_1");

describe("Llama 3 (Meta-Llama-3-8B-Instruct tokenizer.json) against the reference", () => {
  it("has the expected vocabulary and special ids", () => {
    expect(ours.vocabSize).toBe(128256);
    expect(ours.bosTokenId).toBe(128000);
    expect(ours.eosTokenId).toBe(128009);
    expect(ours.padTokenId).toBeUndefined();
    expect(ours.tokenToId("<|eot_id|>")).toBe(128009);
    expect(ours.idToToken(271)).toBe("ĊĊ");
  });

  const rows = readFixture<Row[]>("llama3_tricky.json");
  it.each(rows.map((r) => [JSON.stringify(r.text).slice(0, 60), r] as const))("tricky %s", (_name, row) => {
    const ids = ours.encode(row.text, { addSpecialTokens: false });
    expect(ids).toEqual(row.ids);
    expect(ours.encode(row.text)).toEqual(row.idsWithSpecial);
    expect(ours.decode(ids)).toBe(row.decoded);
    expect(ours.decode(ids)).toBe(row.text);
    if (row.llama3js) expect(ids).toEqual(row.llama3js);
  });

  it("the committed table still matches the live reference", () => {
    for (const row of rows)
      expect(oracle.encode(row.text, { add_special_tokens: false }).ids).toEqual(row.ids);
  });

  it("matches @huggingface/tokenizers on 10 000 seeded random strings, and decode(encode(s)) == s", () => {
    const rand = seededRandom(3);
    const specials = ["<|begin_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>"];
    let checked = 0;
    for (let i = 0; i < 10_000; i++) {
      const s = randomString(rand, 24, specials);
      const ids = ours.encode(s, { addSpecialTokens: false });
      const expected = oracle.encode(s, { add_special_tokens: false }).ids;
      if (ids.length !== expected.length || ids.some((id, k) => id !== expected[k])) {
        expect({ s, ids }).toEqual({ s, ids: expected });
      }
      if (ours.decode(ids) !== s) expect(ours.decode(ids)).toBe(s);
      checked++;
    }
    expect(checked).toBe(10_000);
  });

  it("matches llama3-tokenizer-js on 2 000 seeded random strings without special tokens", () => {
    // llama3-tokenizer-js uses JavaScript's \s, which lacks U+0085 (Oniguruma and the reference count it
    // as whitespace: " \u0085 %" is [220, 116360, ...] there, [2188, 227, ...] in llama3-tokenizer-js).
    const rand = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const s = randomString(rand, 24).replaceAll("\u0085", "\u2028");
      const ids = ours.encode(s, { addSpecialTokens: false });
      const expected = llama3js.encode(s, { bos: false, eos: false });
      if (ids.join() !== expected.join()) expect({ s, ids }).toEqual({ s, ids: expected });
    }
  });

  it("skips special tokens on request and cleans up only when asked", () => {
    const ids = ours.encode("Hi .<|eot_id|>");
    expect(ours.decode(ids)).toBe("<|begin_of_text|>Hi .<|eot_id|>");
    expect(ours.decode(ids, { skipSpecialTokens: true })).toBe("Hi .");
    expect(ours.decode(ids, { skipSpecialTokens: true, cleanUpTokenizationSpaces: true })).toBe("Hi.");
  });

  it("encodes long unbroken runs (heap merge path) like the reference", () => {
    for (const s of ["x".repeat(5000), " ".repeat(3000), "\u4f60\u597d".repeat(800), "ab1".repeat(1000)]) {
      expect(ours.encode(s)).toEqual(oracle.encode(s).ids);
    }
  });

  it("matches the reference on 300 real HH transcripts and round-trips them", () => {
    for (const text of hhTranscripts(300)) {
      const ids = ours.encode(text);
      expect(ids).toEqual(oracle.encode(text).ids);
      expect(ours.decode(ids, { skipSpecialTokens: true })).toBe(text);
    }
  });
});
