import { describe, expect, it } from "vitest";
import { Tokenizer } from "./tokenizer.ts";

const model = { type: "BPE", vocab: { a: 0, b: 1, ab: 2 }, merges: ["a b"] };

describe("bad input", () => {
  it("invalid JSON text -> SyntaxError naming the file", () => {
    expect(() => Tokenizer.fromJSON("{not json")).toThrow(SyntaxError);
    expect(() => Tokenizer.fromJSON("{not json")).toThrow(/tokenizer\.json: invalid JSON/);
    expect(() => Tokenizer.fromJSON({ model }, "{")).toThrow(/tokenizer_config\.json: invalid JSON/);
  });

  it("a model without a type but with merges is BPE, as the reference infers", () => {
    const { type: _omit, ...untyped } = model;
    expect(Tokenizer.fromJSON({ model: untyped }).encode("ab")).toEqual([2]);
  });

  it("missing model -> TypeError", () => {
    expect(() => Tokenizer.fromJSON({})).toThrow(TypeError);
    expect(() => Tokenizer.fromJSON({})).toThrow(/missing "model"/);
    expect(() => Tokenizer.fromJSON([])).toThrow(/expected an object/);
  });

  it("merges that refer to unknown tokens -> TypeError naming the merge and the token", () => {
    const bad = { model: { ...model, merges: ["a b", "a c"] } };
    expect(() => Tokenizer.fromJSON(bad)).toThrow(TypeError);
    expect(() => Tokenizer.fromJSON(bad)).toThrow(/model\.merges\[1\] \("a c"\) refers to token "c"/);
    const noResult = { model: { type: "BPE", vocab: { a: 0, b: 1 }, merges: ["a b"] } };
    expect(() => Tokenizer.fromJSON(noResult)).toThrow(/refers to token "ab"/);
  });

  it("ids out of range in decode -> RangeError with the position", () => {
    const tok = Tokenizer.fromJSON({ model });
    expect(() => tok.decode([0, 3])).toThrow(RangeError);
    expect(() => tok.decode([0, 3])).toThrow(/ids\[1\] = 3 .*\[0, 3\)/);
    expect(() => tok.decode([-1])).toThrow(RangeError);
    expect(() => tok.decode([0.5])).toThrow(RangeError);
  });

  it("unknown stage types -> TypeError naming the type", () => {
    for (const [key, value, kind] of [
      ["normalizer", { type: "Frobnicate" }, "normalizer"],
      ["pre_tokenizer", { type: "Frobnicate" }, "pre-tokenizer"],
      ["post_processor", { type: "Frobnicate" }, "post-processor"],
      ["decoder", { type: "Frobnicate" }, "decoder"],
    ] as const) {
      expect(() => Tokenizer.fromJSON({ model, [key]: value })).toThrow(
        new RegExp(`unsupported ${kind} type "Frobnicate"`),
      );
    }
    expect(() => Tokenizer.fromJSON({ model: { type: "WordPiece", vocab: {} } })).toThrow(
      /unsupported model type "WordPiece"/,
    );
  });

  it("encode of a non-string -> TypeError; chat template missing -> TypeError", () => {
    const tok = Tokenizer.fromJSON({ model });
    expect(() => tok.encode(3 as unknown as string)).toThrow(TypeError);
    expect(() => tok.applyChatTemplate([{ role: "user", content: "a" }])).toThrow(/no chat_template/);
  });

  it("fromFile: missing file rejects; bad JSON names the path", async () => {
    await expect(Tokenizer.fromFile("/nonexistent/tokenizer.json")).rejects.toThrow(/ENOENT/);
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(`${tmpdir()}/tok-`);
    writeFileSync(`${dir}/tokenizer.json`, "{oops");
    await expect(Tokenizer.fromFile(`${dir}/tokenizer.json`)).rejects.toThrow(
      /tokenizer\.json: invalid JSON/,
    );
  });
});
