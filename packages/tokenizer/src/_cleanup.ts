/** transformers' `clean_up_tokenization`: removes the space before punctuation and contractions. */

const CLEANUPS: [string, string][] = [
  [" .", "."],
  [" ?", "?"],
  [" !", "!"],
  [" ,", ","],
  [" ' ", "'"],
  [" n't", "n't"],
  [" 'm", "'m"],
  [" 's", "'s"],
  [" 've", "'ve"],
  [" 're", "'re"],
];

/** Applies the clean-up replacements in order. */
export function cleanUpTokenization(text: string): string {
  for (const [from, to] of CLEANUPS) text = text.replaceAll(from, to);
  return text;
}
