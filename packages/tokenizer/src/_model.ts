/** The model stage: turns one pre-tokenized word into ids, and maps ids to token strings. */

/** A tokenization model (BPE from tokenizer.json, or the llama2.c score model). */
export interface TokenModel {
  /** Ids of one word (the output of pre-tokenization). */
  tokenizeWord(word: string): number[];
  /** Token string to id, or undefined. */
  tokenToId(token: string): number | undefined;
  /** Id to token string, or undefined. */
  idToToken(id: number): string | undefined;
  /** One more than the largest id of the model's vocabulary. */
  readonly size: number;
}

/** A bounded word -> ids cache (cleared when full; words repeat heavily, so it refills quickly). */
export class WordCache {
  readonly #map = new Map<string, number[]>();
  readonly #limit: number;

  constructor(limit = 200_000) {
    this.#limit = limit;
  }

  get(word: string): number[] | undefined {
    return this.#map.get(word);
  }

  set(word: string, ids: number[]): void {
    if (word.length > 256) return;
    if (this.#map.size >= this.#limit) this.#map.clear();
    this.#map.set(word, ids);
  }
}
