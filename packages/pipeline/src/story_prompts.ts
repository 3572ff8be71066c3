import type { LlamaModel } from "@wpo/llama";
import type { Tokenizer } from "@wpo/tokenizer";
import { sampleCompletions } from "./sample_completions.ts";
import type { Prompt } from "./types.ts";

/**
 * Makes story prompts from the model itself: samples from BOS and keeps each sample's
 * first sentence (up to the first '.', '!' or '?'), unique by text, as the demo notes
 * recommend. Deterministic for a seed.
 *
 * @param model The (initial) model.
 * @param args Tokenizer, how many prompts, seed, BOS id.
 * @returns Up to `count` unique prompts.
 * @example
 * ```ts
 * import { makeStoryPrompts } from "@wpo/pipeline";
 * console.assert(typeof makeStoryPrompts === "function");
 * ```
 */
export async function makeStoryPrompts(
  model: LlamaModel,
  args: { tokenizer: Tokenizer; count: number; seed: number; bosId: number; stopTokenIds: number[] },
): Promise<Prompt[]> {
  const { tokenizer, count } = args;
  const seen = new Set<string>();
  const out: Prompt[] = [];
  for (let round = 0; round < 4 && out.length < count; round++) {
    const [samples] = await sampleCompletions(model, {
      tokenizer,
      prompts: [[args.bosId]],
      options: {
        perPrompt: Math.ceil(count * 1.6),
        maxNewTokens: 28,
        temperature: 1,
        topP: 0.95,
        seed: args.seed + 7919 * round,
        stopTokenIds: args.stopTokenIds,
      },
    });
    for (const s of samples ?? []) {
      let cut = -1;
      for (let k = 1; k <= s.ids.length; k++) {
        if (/[.!?]/.test(tokenizer.decode(s.ids.slice(0, k), { skipSpecialTokens: true }))) {
          cut = k;
          break;
        }
      }
      if (cut < 3) continue;
      const ids = s.ids.slice(0, cut);
      const text = tokenizer.decode(ids, { skipSpecialTokens: true }).trim();
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ ids: [args.bosId, ...ids], text });
      if (out.length === count) break;
    }
  }
  return out;
}
