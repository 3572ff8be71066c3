import { generate, type LlamaModel } from "@wpo/llama";
import type { Tokenizer } from "@wpo/tokenizer";

/**
 * One sampled completion: its ids (stop token removed), its text as it reads after the prompt (a leading space
 * the tokenizer marks on the first token is kept), and the stop id if it ended with one.
 */
export interface Completion {
  ids: number[];
  text: string;
  stop?: number;
}

/** Options of {@linkcode sampleCompletions}. */
export interface SampleOptions {
  /** Completions per prompt. */
  perPrompt: number;
  /** Tokens per completion. */
  maxNewTokens: number;
  /** Sampling temperature. */
  temperature: number;
  /** Nucleus mass. */
  topP: number;
  /** Sampler seed. */
  seed: number;
  /** Ids that end a completion (removed from the result). */
  stopTokenIds: number[];
  /** Prompts per `generate` call (memory bound). Default 256. */
  chunk?: number;
}

/**
 * Samples completions on-policy for every prompt (prompt i's completions are
 * `result[i]`), stopping at a stop id, which is dropped.
 *
 * @param model The policy.
 * @param args Tokenizer, prompt ids and sampling options.
 * @returns Completions per prompt.
 * @example
 * ```ts
 * import { initBackend } from "@wpo/backends";
 * import { loadModel, loadTokenizer, sampleCompletions } from "@wpo/cli";
 * await initBackend("cpu");
 * const model = await loadModel(undefined);
 * const tokenizer = await loadTokenizer(undefined, undefined);
 * const out = await sampleCompletions(model, { tokenizer, prompts: [[1]], options: { perPrompt: 2, maxNewTokens: 4,
 *   temperature: 0, topP: 1, seed: 0, stopTokenIds: [1, 2] } });
 * console.assert(out[0]!.length === 2 && out[0]![0]!.text.startsWith("Once upon a time"));
 * model.dispose();
 * ```
 */
export async function sampleCompletions(
  model: LlamaModel,
  args: { tokenizer: Tokenizer; prompts: number[][]; options: SampleOptions },
): Promise<Completion[][]> {
  const { tokenizer, prompts, options } = args;
  const flat: number[][] = [];
  for (const p of prompts) for (let k = 0; k < options.perPrompt; k++) flat.push(p);
  const chunk = options.chunk ?? 256;
  const ids: number[][] = [];
  for (let s = 0; s < flat.length; s += chunk) {
    const out = await generate(model, flat.slice(s, s + chunk), {
      maxNewTokens: options.maxNewTokens,
      temperature: options.temperature,
      topP: options.topP,
      seed: options.seed + s,
      stopTokenIds: options.stopTokenIds,
    });
    ids.push(...out);
  }
  const stops = new Set(options.stopTokenIds);
  return prompts.map((prompt, i) =>
    ids.slice(i * options.perPrompt, (i + 1) * options.perPrompt).map((c) => {
      const last = c[c.length - 1];
      const clean = last !== undefined && stops.has(last) ? c.slice(0, -1) : c;
      const text = continuationText(tokenizer, prompt, clean);
      return clean === c ? { ids: clean, text } : { ids: clean, text, stop: last! };
    }),
  );
}

/**
 * The text of `ids` as it continues `prompt`: decode(prompt + ids) minus decode(prompt). Decoding the ids alone
 * loses the space a SentencePiece tokenizer marks on a first token (" She" decodes to "She"), so that prompt +
 * completion would read "Lily.She". Falls back to decoding the ids alone when the prompt's text is not a prefix.
 *
 * @param tokenizer The tokenizer.
 * @param prompt The prompt's ids.
 * @param ids The completion's ids.
 * @returns The completion's text (special tokens skipped).
 * @example
 * ```ts
 * import { continuationText, loadTokenizer } from "@wpo/cli";
 * const tok = await loadTokenizer(undefined, undefined);
 * const prompt = [1, ...tok.encode("Lily.", { addSpecialTokens: false })];
 * const she = tok.encode("Lily. She", { addSpecialTokens: false }).slice(prompt.length - 1);
 * console.assert(continuationText(tok, prompt, she) === " She");
 * ```
 */
export function continuationText(
  tokenizer: Tokenizer,
  prompt: readonly number[],
  ids: readonly number[],
): string {
  const head = tokenizer.decode([...prompt], { skipSpecialTokens: true });
  const full = tokenizer.decode([...prompt, ...ids], { skipSpecialTokens: true });
  return full.startsWith(head)
    ? full.slice(head.length)
    : tokenizer.decode([...ids], { skipSpecialTokens: true });
}
