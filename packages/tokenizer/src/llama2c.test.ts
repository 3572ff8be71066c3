import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packagePath, randomString, seededRandom } from "../test/support.ts";
import { Tokenizer } from "./tokenizer.ts";

const bytes = readFileSync(packagePath("../../assets/tok512.bin"));
const tok = Tokenizer.fromLlama2c(bytes);

// From assets/PROVENANCE.md: stories260K's greedy continuation of BOS and its first 32 ids.
const STORY =
  "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high.";
const GREEDY = [
  403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401, 396, 267, 337, 410,
  408, 419, 292, 411, 322, 265, 282, 295, 433, 426, 385,
];

/** llama2.c's encode, written the way run.c does it (slow and obvious), for comparison. */
function llama2cEncode(text: string): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pieces: string[] = [];
  const scores: number[] = [];
  for (let o = 4; o < bytes.length; ) {
    scores.push(view.getFloat32(o, true));
    const n = view.getInt32(o + 4, true);
    pieces.push(new TextDecoder().decode(bytes.subarray(o + 8, o + 8 + n)));
    o += 8 + n;
  }
  const lookup = (s: string) => pieces.indexOf(s);
  const ids: number[] = text.length > 0 ? [lookup(" ")] : [];
  for (const ch of text) {
    const id = lookup(ch);
    if (id >= 0) ids.push(id);
    else for (const b of new TextEncoder().encode(ch)) ids.push(b + 3);
  }
  while (true) {
    let best = -1e10;
    let at = -1;
    let bestId = -1;
    for (let i = 0; i < ids.length - 1; i++) {
      const left = pieces[ids[i] as number] as string;
      const right = pieces[ids[i + 1] as number] as string;
      const id = lookup(left + right);
      if (id >= 0 && scores[id]! > best) {
        best = scores[id]!;
        at = i;
        bestId = id;
      }
    }
    if (at < 0) break;
    ids.splice(at, 2, bestId);
  }
  return ids;
}

describe("llama2.c tokenizer (tok512.bin)", () => {
  it("has 512 tokens, BOS 1, EOS 2", () => {
    expect([tok.vocabSize, tok.bosTokenId, tok.eosTokenId, tok.padTokenId]).toEqual([512, 1, 2, undefined]);
    expect(tok.idToToken(403)).toBe(" Once");
  });

  it("decodes the known greedy ids to the known story, and encodes the story back to them", () => {
    const text = tok.decode(GREEDY);
    expect(STORY.startsWith(text)).toBe(true);
    expect(text.endsWith("in the park. One")).toBe(true);
    expect(tok.encode(text, { addSpecialTokens: false })).toEqual(GREEDY);
    const story = tok.encode(STORY);
    expect(story[0]).toBe(1);
    expect(story.slice(1, 33)).toEqual(GREEDY);
    expect(tok.decode(story, { skipSpecialTokens: true })).toBe(STORY);
  });

  it("prints like llama2.c: no space after BOS; stories ending in BOS are cut cleanly", () => {
    expect(tok.decode([1, 403, 407])).toBe("<s>Once upon");
    expect(tok.decode([1, 403, 407, 1], { skipSpecialTokens: true })).toBe("Once upon");
  });

  it("matches a literal transcription of llama2.c's encode on 500 seeded random strings", () => {
    const rand = seededRandom(5);
    for (let i = 0; i < 500; i++) {
      const s = randomString(rand, 12);
      expect(tok.encode(s, { addSpecialTokens: false })).toEqual(llama2cEncode(s));
      expect(tok.decode(tok.encode(s))).toBe(`<s>${s}`);
      expect(tok.decode(tok.encode(s), { skipSpecialTokens: true })).toBe(s);
    }
  });

  it("falls back to bytes for characters outside the vocabulary", () => {
    expect(tok.tokenToId("\u0416")).toBeUndefined();
    const ids = tok.encode("\u0416\ud83d\ude00", { addSpecialTokens: false });
    expect(ids.slice(1)).toEqual([0xd0 + 3, 0x96 + 3, 0xf0 + 3, 0x9f + 3, 0x98 + 3, 0x80 + 3]);
    expect(tok.decode(ids)).toBe("\u0416\ud83d\ude00");
  });

  it("rejects truncated files with a RangeError that says where", () => {
    expect(() => Tokenizer.fromLlama2c(bytes.subarray(0, 1000))).toThrow(/token \d+ .*byte \d+/);
    expect(() => Tokenizer.fromLlama2c(new Uint8Array(2))).toThrow(RangeError);
    expect(() => Tokenizer.fromLlama2c("tok512.bin" as unknown as Uint8Array)).toThrow(TypeError);
  });
});
