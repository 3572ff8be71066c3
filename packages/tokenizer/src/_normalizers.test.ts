import { describe, expect, it } from "vitest";
import { buildNormalizer } from "./_normalizers.ts";

describe("normalizers", () => {
  it("Lowercase maps each character on its own (no final-sigma rule)", () => {
    const lower = buildNormalizer({ type: "Lowercase" })!;
    expect(lower("ΟΔΟΣ ABC")).toBe("οδοσ abc");
    expect(lower("\u0130")).toBe("i\u0307");
  });

  it("Prepend only prepends to non-empty text; Replace and Strip", () => {
    const n = buildNormalizer({
      type: "Sequence",
      normalizers: [
        { type: "Strip", strip_left: true, strip_right: false },
        { type: "Prepend", prepend: "\u2581" },
        { type: "Replace", pattern: { String: " " }, content: "\u2581" },
      ],
    })!;
    expect(n("  a b ")).toBe("\u2581a\u2581b\u2581");
    expect(n("")).toBe("");
  });

  it("ByteLevel maps UTF-8 bytes to the byte-level alphabet", () => {
    expect(buildNormalizer({ type: "ByteLevel" })!("a b\u00e9")).toBe("a\u0120b\u00c3\u00a9");
  });

  it("NFKC", () => {
    expect(buildNormalizer({ type: "NFKC" })!("\uff21\u00bd")).toBe("A1\u20442");
  });
});
