/** One preference pair in text form: a story opening, a preferred and a dispreferred continuation. */
export interface TextPair {
  /** Story opening. */
  prompt: string;
  /** Preferred continuation (the llama2.c tokenizer adds the word-start marker itself). */
  chosen: string;
  /** Dispreferred continuation (the llama2.c tokenizer adds the word-start marker itself). */
  rejected: string;
}

const OPENINGS = [
  "Once upon a time, there was a little girl named Lily.",
  "One day, a boy named Tim went to the park.",
  "There was a big dog who lived in a small house.",
  "Sue had a red ball that she liked very much.",
  "Ben and his mom went to the store to buy food.",
  "A little bird sat on a tree in the garden.",
  "Once upon a time, there was a cat named Tom.",
  "Amy found a box under her bed.",
];

const HAPPY = [
  "She was very happy and she smiled.",
  "He laughed and had so much fun.",
  "They played together and felt glad.",
  "She gave her friend a big hug and smiled.",
];
const SAD = [
  "She was very sad and she cried.",
  "He was scared and started to cry.",
  "They were angry and felt upset.",
  "She was sorry and her eyes had tears.",
];

/**
 * The embedded demo's preference pairs: story openings continued happily (chosen) or
 * sadly (rejected), the same preference as the demo reward (#happy − #sad words).
 * Fixed text, so a run is reproducible and the same on every backend.
 *
 * @returns 16 pairs.
 */
export function demoPairs(): TextPair[] {
  const pairs: TextPair[] = [];
  OPENINGS.forEach((prompt, i) => {
    for (const k of [0, 1]) {
      const j = (i + 2 * k) % HAPPY.length;
      pairs.push({ prompt, chosen: HAPPY[j]!, rejected: SAD[(j + k) % SAD.length]! });
    }
  });
  return pairs;
}

/** Words the demo reward counts (lower case). */
export const HAPPY_WORDS = new Set(
  "happy happily smile smiled smiles smiling laugh laughed laughing fun love loved joy glad excited yay hug hugged".split(
    " ",
  ),
);
/** Words the demo reward counts against. */
export const SAD_WORDS = new Set(
  "sad cry cried crying angry mad scared upset hurt sorry afraid tears frown frowned".split(" "),
);

/**
 * The demo reward: number of happy words minus number of sad words in a text.
 *
 * @param text A completion.
 * @returns #happy − #sad over lower-cased words.
 */
export function storyReward(text: string): number {
  let r = 0;
  for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    if (HAPPY_WORDS.has(w)) r += 1;
    else if (SAD_WORDS.has(w)) r -= 1;
  }
  return r;
}
