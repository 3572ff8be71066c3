import { describe, expect, it } from "vitest";
import { onigurumaToJs } from "./_regex.ts";

const re = (p: string) => new RegExp(onigurumaToJs(p), "gu");

describe("onigurumaToJs", () => {
  it("\\s is Unicode White_Space: U+0085 yes, U+FEFF no", () => {
    expect(re("\\s").test("\u0085")).toBe(true);
    expect(re("\\s").test("\ufeff")).toBe(false);
    expect(re("[^\\s]").test("\ufeff")).toBe(true);
  });

  it("(?i:...) becomes case classes with simple case folding", () => {
    const r = re("(?i:'s|'ll)");
    expect("'S 'LL 'lL '\u017f".match(r)).toEqual(["'S", "'LL", "'lL", "'\u017f"]);
    expect(re("(?i:a)b").test("AB")).toBe(false);
  });

  it("keeps \\p classes, lookaheads and escapes", () => {
    expect(" a  b".match(re("\\s+(?!\\S)|\\p{L}+"))).toEqual(["a", " ", "b"]);
    expect("a-b".match(re("\\-"))).toEqual(["-"]);
  });
});
