import { describe, expect, it } from "vitest";
import { toyTokenizer } from "../test/toy_tokenizer.ts";
import { parsePreferenceRow } from "./parse_preference_row.ts";
import { tokenizePreferenceRow } from "./tokenize_preference_row.ts";

const tokenizer = toyTokenizer(3);
const user = { role: "user", content: "hello" };

describe("tokenizePreferenceRow with sampled ids", () => {
  it("uses a message row's sampled ids verbatim between the assistant header and <|eot_id|>", () => {
    // ids that re-encoding the text would never give (a byte split of "the", then <|eot_id|> as the stop)
    const sampled = [6 + 116, 6 + 104, 6 + 101, 3];
    const row = parsePreferenceRow({
      prompt: "hello",
      chosen: [user, { role: "assistant", content: "the" }],
      rejected: [user, { role: "assistant", content: "and" }],
      chosen_ids: sampled,
    });
    const f = tokenizePreferenceRow(row, tokenizer, {});
    const generationPrompt = tokenizer.encode(
      tokenizer.applyChatTemplate([user], { tokenize: false, addGenerationPrompt: true }) as string,
    );
    const withBos = generationPrompt[0] === 1 ? generationPrompt : [1, ...generationPrompt];
    expect(f.chosenInputIds).toEqual([...withBos, ...sampled]);
    // the other side is tokenised from its text, header included, and ends with <|eot_id|>
    expect(f.rejectedInputIds.slice(0, withBos.length)).toEqual(withBos);
    expect(f.rejectedInputIds.at(-1)).toBe(3);
  });

  it("appends the template's tail when the sampled ids did not stop", () => {
    const row = parsePreferenceRow({
      prompt: "hello",
      chosen: [user, { role: "assistant", content: "x" }],
      rejected: [user, { role: "assistant", content: "y" }],
      chosen_ids: [100],
      rejected_ids: [101, 3],
    });
    const f = tokenizePreferenceRow(row, tokenizer, {});
    expect(f.chosenInputIds.slice(-2)).toEqual([100, 3]);
    expect(f.rejectedInputIds.slice(-2)).toEqual([101, 3]);
    expect(f.chosenInputIds.length).toBe(f.rejectedInputIds.length);
  });

  it("uses a plain row's ids after the encoded prompt", () => {
    const row = parsePreferenceRow({ prompt: "the", chosen: "x", rejected: "y", chosen_ids: [50, 51] });
    const f = tokenizePreferenceRow(row, tokenizer, {});
    expect(f.chosenInputIds).toEqual([1, ...tokenizer.encode("the"), 50, 51, 3]);
  });

  it("rejects ids that are not token ids, naming the field", () => {
    expect(() =>
      parsePreferenceRow({ prompt: "a", chosen: "b", rejected: "c", rejected_ids: [1, -2] }, { row: 4 }),
    ).toThrow(/row 4, field 'rejected_ids'/);
  });
});
