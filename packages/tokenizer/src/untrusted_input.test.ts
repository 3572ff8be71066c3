import { Template } from "@huggingface/jinja";
import { describe, expect, it } from "vitest";
import { assertNoNestedRepeat } from "./_regex_safety.ts";
import { renderChatTemplate } from "./chat_template.ts";

const LLAMA3 =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const GPT4O =
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

describe("untrusted tokenizer regexes and chat templates", () => {
  it("accepts the real tokenizers' patterns and refuses nested repetition", () => {
    for (const p of [LLAMA3, GPT2, GPT4O, "\\s{2,}", " ?[^(\\s|[.,!?…。，、])]+", "(a+)?", "(?:x|y)?z+"]) {
      expect(() => assertNoNestedRepeat(p, "t"), p).not.toThrow();
    }
    for (const p of ["(a+)+$", "(a|a)*$", "(?:a*b*)*c", "((ab)*)+", "(a{1,5}){2,}", "(\\p{L}+\\s?)*!"]) {
      expect(() => assertNoNestedRepeat(p, "t"), p).toThrow(/can backtrack for hours/);
    }
  });

  it("bounds template execution: range size, evaluation steps; ordinary templates render as before", () => {
    const msgs = [{ role: "user", content: "hi" }];
    expect(() => renderChatTemplate("{% for i in range(1000000000) %}x{% endfor %}", msgs)).toThrow(
      RangeError,
    );
    expect(() =>
      renderChatTemplate(
        "{% for i in range(1000) %}{% for j in range(1000) %}x{% endfor %}{% endfor %}",
        msgs,
      ),
    ).toThrow(/more than 200000 evaluation steps/);
    const ordinary =
      "{% for i in range(2, 8, 3) %}{{ i }}{% endfor %}{% for i in range(3) %}{{ i }}{% endfor %}" +
      "{{ messages[0].content | upper }}{{ none is none }}{{ strftime_now('%Y') | length }}";
    expect(renderChatTemplate(ordinary, msgs)).toBe(new Template(ordinary).render({ messages: msgs }));
    expect(renderChatTemplate(ordinary, msgs)).toBe("25012HItrue4");
    expect(() => renderChatTemplate("{{ raise_exception('no system role') }}", msgs)).toThrow(
      "no system role",
    );
  });
});
