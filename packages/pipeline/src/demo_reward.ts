/**
 * The embedded demo's built-in reward: a transparent word count.
 *
 * reward(text) = (# words in {@linkcode HAPPY_WORDS}) − (# words in {@linkcode SAD_WORDS}),
 * counted over the lower-cased words (runs of letters) of a completion. A story that
 * smiles, laughs and hugs scores high; one that cries and is scared scores low.
 * Chosen because it moves within minutes on stories260K (single target words tie on
 * most prompts; "end within N tokens" almost never happens in 48 tokens).
 *
 * @module
 */

/** Words that add 1 to the reward. */
export const HAPPY_WORDS: readonly string[] = [
  "happy",
  "happily",
  "smile",
  "smiled",
  "smiles",
  "smiling",
  "laugh",
  "laughed",
  "laughing",
  "fun",
  "love",
  "loved",
  "joy",
  "glad",
  "excited",
  "yay",
  "hug",
  "hugged",
];

/** Words that subtract 1 from the reward. */
export const SAD_WORDS: readonly string[] = [
  "sad",
  "cry",
  "cried",
  "crying",
  "angry",
  "mad",
  "scared",
  "upset",
  "hurt",
  "sorry",
  "afraid",
  "tears",
  "frown",
  "frowned",
];

const HAPPY = new Set(HAPPY_WORDS);
const SAD = new Set(SAD_WORDS);

/**
 * Scores a completion: happy words minus sad words (lower-cased, whole words).
 *
 * @param text The completion text (without the prompt).
 * @returns An integer reward.
 * @example
 * ```ts
 * import { demoReward } from "@wpo/pipeline";
 * console.assert(demoReward("She smiled and laughed, but then she cried.") === 1);
 * ```
 */
export function demoReward(text: string): number {
  let score = 0;
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    if (HAPPY.has(word)) score += 1;
    else if (SAD.has(word)) score -= 1;
  }
  return score;
}
