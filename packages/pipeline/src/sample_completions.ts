import { generate, type LlamaModel } from "@wpo/llama";
import type { Completion } from "./types.ts";
import type { Tokenizer } from "@wpo/tokenizer";
import { continuationText } from "./continuation_text.ts";

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
  /** Keep only the k most likely tokens (0 or absent: off). */
  topK?: number;
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
 * import { readFileSync } from "node:fs";
 * import { initBackend } from "@wpo/backends";
 * import { loadLlama2c } from "@wpo/llama";
 * import { sampleCompletions } from "@wpo/pipeline";
 * import { Tokenizer } from "@wpo/tokenizer";
 * await initBackend("cpu");
 * const model = await loadLlama2c("../../assets/stories260K.bin");
 * const tokenizer = Tokenizer.fromLlama2c(readFileSync("../../assets/tok512.bin"));
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
      ...(options.topK ? { topK: options.topK } : {}),
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
