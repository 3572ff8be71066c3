import { readPreferenceDataset, tokenizePreferenceRow } from "@wpo/data";
import { visualizeTokens } from "@wpo/tokenizer";
import type { OptionSpec } from "./cli_args.ts";
import type { CliIo } from "./demo_setup.ts";
import { resolveChatTemplate } from "./chat_template_option.ts";
import { badRowPolicy, DATA_OPTIONS } from "./data_options.ts";
import { loadTokenizer } from "./load_inputs.ts";
import { COMMON_OPTIONS } from "./common_options.ts";

/** Options of `wpo tokenize`. */
export const TOKENIZE_OPTIONS: Record<string, OptionSpec> = {
  tokenizer: { kind: "string", help: "tokenizer.json or llama2.c .bin (default: bundled tok512)" },
  model: { kind: "string", help: "model folder whose tokenizer.json to use" },
  text: { kind: "string", help: "text to tokenise" },
  data: { kind: "string", help: "preference JSONL: show a row's chosen/rejected as the trainer sees them" },
  row: { kind: "int", default: 1, help: "row of --data (1-based)" },
  max_length: { kind: "int", default: 512, help: "truncation, as wpo train" },
  max_prompt_length: { kind: "int", default: 128, help: "prompt truncation, as wpo train" },
  color: { kind: "bool", default: true, help: "ANSI colours (false: [[scored]] | separated)" },
  ...DATA_OPTIONS,
  ...COMMON_OPTIONS,
};

/**
 * `wpo tokenize`: the token visualiser. With --text, shows its tokens; with --data,
 * shows one pair's chosen and rejected sequences with the scored (label) tokens
 * highlighted, exactly as training sees them (BOS/EOS, truncation).
 *
 * @param o Parsed options.
 * @param io Output streams.
 * @returns Number of tokens shown.
 * @example
 * ```ts
 * import { runTokenize } from "@wpo/cli";
 * let s = "";
 * await runTokenize({ text: "Once upon a time", color: false }, { out: (l: string) => { s += l; }, err: { write: () => true } });
 * console.assert(s.includes("Once"));
 * ```
 */
export async function runTokenize(o: Record<string, unknown>, io: CliIo): Promise<number> {
  const tokenizer = await loadTokenizer(o.tokenizer as string | undefined, o.model as string | undefined);
  const color = o.color !== false;
  if (typeof o.text === "string") {
    const ids = tokenizer.encode(o.text, { addSpecialTokens: false });
    io.out(visualizeTokens(tokenizer, ids, undefined, { color }));
    io.out(`${ids.length} tokens: [${ids.join(", ")}]`);
    return ids.length;
  }
  if (typeof o.data === "string") {
    const n = (o.row as number | undefined) ?? 1;
    const policy = badRowPolicy(o.on_bad_row, (l) => io.err.write(`${l}\n`));
    const { rows } = await readPreferenceDataset(o.data, { onBadRow: policy.onBadRow, limit: n });
    const row = rows[n - 1];
    if (row === undefined) throw new RangeError(`--row ${n}: '${o.data}' has ${rows.length} usable rows.`);
    const chatTemplate =
      typeof o.chat_template === "string" ? resolveChatTemplate(o.chat_template, tokenizer) : undefined;
    const f = tokenizePreferenceRow(row, tokenizer, {
      maxLength: (o.max_length as number | undefined) ?? 512,
      maxPromptLength: (o.max_prompt_length as number | undefined) ?? 128,
      ...(chatTemplate === undefined ? {} : { chatTemplate }),
    });
    const mask = (labels: number[]) => labels.map((l) => (l === -100 ? 0 : 1));
    io.out(`chosen   (${f.chosenInputIds.length} tokens, scored highlighted):`);
    io.out(visualizeTokens(tokenizer, f.chosenInputIds, mask(f.chosenLabels), { color }));
    io.out(`rejected (${f.rejectedInputIds.length} tokens):`);
    io.out(visualizeTokens(tokenizer, f.rejectedInputIds, mask(f.rejectedLabels), { color }));
    if (f.promptTruncated || f.responsesTruncated) {
      io.out(`truncated: prompt ${f.promptTruncated}, responses ${f.responsesTruncated}`);
    }
    return f.chosenInputIds.length + f.rejectedInputIds.length;
  }
  throw new RangeError("wpo tokenize needs --text or --data.");
}
