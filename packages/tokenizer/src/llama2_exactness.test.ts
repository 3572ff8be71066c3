import { describe, expect, it } from "vitest";
import { hhTranscripts, loadBoth, randomString, readFixture, seededRandom } from "../test/support.ts";

interface Row {
  text: string;
  ids: number[];
  idsWithSpecial: number[];
  decoded: string;
}

const { ours, oracle } = loadBoth("tokenizer-llama2");

describe("Llama 2 (SentencePiece-style BPE: Prepend+Replace, byte_fallback) against the reference", () => {
  it("has the expected vocabulary and special ids", () => {
    expect(ours.vocabSize).toBe(32000);
    expect([ours.bosTokenId, ours.eosTokenId, ours.padTokenId]).toEqual([1, 2, undefined]);
  });

  const rows = readFixture<Row[]>("llama2_tricky.json");
  it.each(rows.map((r) => [JSON.stringify(r.text).slice(0, 60), r] as const))("tricky %s", (_name, row) => {
    const ids = ours.encode(row.text, { addSpecialTokens: false });
    expect(ids).toEqual(row.ids);
    expect(ours.encode(row.text)).toEqual(row.idsWithSpecial);
    expect(ours.decode(ids)).toBe(row.decoded);
    // Special-token text gains Prepend's "▁" on the text after it (legacy Llama 2 behaviour), so skip those.
    if (!/<\/?s>|<unk>/.test(row.text)) expect(ours.decode(ids)).toBe(row.text);
  });

  it("matches @huggingface/tokenizers on 3 000 seeded random strings, and decode(encode(s)) == s", () => {
    const rand = seededRandom(11);
    for (let i = 0; i < 3000; i++) {
      const s = randomString(rand, 20, ["<s>", "</s>"]);
      const ids = ours.encode(s);
      const expected = oracle.encode(s).ids;
      if (ids.join() !== expected.join()) expect({ s, ids }).toEqual({ s, ids: expected });
      if (!/<\/?s>/.test(s) && ours.decode(ids, { skipSpecialTokens: true }) !== s) {
        expect(ours.decode(ids, { skipSpecialTokens: true })).toBe(s);
      }
    }
  });

  it("matches the reference on 100 real HH transcripts and round-trips them", () => {
    for (const text of hhTranscripts(100)) {
      const ids = ours.encode(text);
      expect(ids).toEqual(oracle.encode(text).ids);
      expect(ours.decode(ids, { skipSpecialTokens: true })).toBe(text);
    }
  });
});
