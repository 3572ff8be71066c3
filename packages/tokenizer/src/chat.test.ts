import { describe, expect, it } from "vitest";
import { lenmlTokenizerPath } from "../test/support.ts";
import { renderConversation } from "./render_conversation.ts";
import { Tokenizer } from "./tokenizer.ts";
import { visualizeTokens } from "./visualize_tokens.ts";

const tok = await Tokenizer.fromFile(lenmlTokenizerPath("tokenizer-llama3_1"));
const HEADER_ASSISTANT = [128006, 78191, 128007, 271];
const conversation = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "  Hi there  " },
  { role: "assistant", content: "Hello!" },
  { role: "user", content: "Bye" },
  { role: "assistant", content: "Goodbye." },
];

describe("chat template (Llama 3 Instruct tokenizer_config.json)", () => {
  it("renders the documented Llama 3 format, trimming content", () => {
    const text = tok.applyChatTemplate([{ role: "user", content: " Hi " }], { addGenerationPrompt: true });
    expect(text).toBe(
      "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
    );
    const ids = tok.applyChatTemplate([{ role: "user", content: "Hi" }], {
      addGenerationPrompt: true,
      tokenize: true,
    });
    expect(ids.slice(0, 5)).toEqual([128000, 128006, 882, 128007, 271]);
    expect(ids.slice(-4)).toEqual(HEADER_ASSISTANT);
    expect(ids.filter((id) => id === 128000)).toHaveLength(1); // tokenize adds no second BOS
  });

  it("renderConversation masks each assistant reply and its <|eot_id|>, nothing else", () => {
    const { ids, mask } = renderConversation(tok, conversation);
    expect(ids).toEqual(tok.applyChatTemplate(conversation, { tokenize: true }));
    expect(mask).toHaveLength(ids.length);
    const scored = ids.filter((_, i) => mask[i] === 1);
    expect(tok.decode(scored)).toBe("Hello!<|eot_id|>Goodbye.<|eot_id|>");
    // The assistant headers are context, and each scored run ends with EOS.
    for (let i = 0; i + 4 <= ids.length; i++) {
      if (ids.slice(i, i + 4).join() === HEADER_ASSISTANT.join())
        expect(mask.slice(i, i + 4)).toEqual([0, 0, 0, 0]);
    }
    expect(ids.at(-1)).toBe(tok.eosTokenId);
    expect(mask.at(-1)).toBe(1);
  });

  it("visualizeTokens shows scored runs (plain) and colours (ANSI)", () => {
    const { ids, mask } = renderConversation(tok, conversation.slice(1, 3));
    const plain = visualizeTokens(tok, ids, mask, { color: false });
    expect(plain).toBe(
      "<|begin_of_text|>|<|start_header_id|>|user|<|end_header_id|>|\\n\\n|Hi| there|<|eot_id|>|<|start_header_id|>|assistant|<|end_header_id|>|\\n\\n|[[Hello|!|<|eot_id|>]]",
    );
    const ansi = visualizeTokens(tok, ids, mask);
    expect(ansi).toContain("\x1b[42;30mHello\x1b[0m");
    expect(ansi).toContain("\x1b[45;97;1m<|begin_of_text|>");
    expect(() => visualizeTokens(tok, ids, [1])).toThrow(RangeError);
  });

  it("renderConversation refuses templates that rewrite earlier turns", () => {
    const rewriting =
      "{% for m in messages %}{{ m.content }}{% if loop.last %}<|eot_id|>{% endif %}{% endfor %}";
    expect(() => renderConversation(tok, conversation.slice(1, 4), { chatTemplate: rewriting })).toThrow(
      /rewrites earlier turns/,
    );
  });

  it("the original (April 2024) Llama 3 files: EOS <|end_of_text|>, and no BOS from the post-processor", async () => {
    const original = await Tokenizer.fromFile(lenmlTokenizerPath("tokenizer-llama3"));
    expect([original.bosTokenId, original.eosTokenId]).toEqual([128000, 128001]);
    // That tokenizer.json's post-processor is ByteLevel only, so the reference adds no BOS either.
    expect(original.encode("Hello world")).toEqual([9906, 1917]);
  });

  it("partial UTF-8 tokens are shown raw", () => {
    const ids = tok.encode("\u9fa5", { addSpecialTokens: false }); // two tokens: [84012, 98]
    const plain = visualizeTokens(tok, ids, undefined, { color: false });
    expect(ids.length).toBeGreaterThan(1);
    expect(plain).not.toContain("\ufffd");
  });

  it("a doubled BOS is visible", () => {
    const ids = tok.encode(tok.applyChatTemplate([{ role: "user", content: "x" }])); // BOS added twice
    expect(
      visualizeTokens(tok, ids, undefined, { color: false }).startsWith(
        "<|begin_of_text|>|<|begin_of_text|>|",
      ),
    ).toBe(true);
  });
});
