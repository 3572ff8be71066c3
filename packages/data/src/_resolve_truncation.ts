import type { TruncationOptions } from "./build_pair_features.ts";

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}.`);
  return value;
}

/** Checks truncation options and fills TRL 0.9.6 defaults. */
export function resolveTruncation(options: TruncationOptions): Required<TruncationOptions> {
  const maxLength = positiveInt("maxLength", options.maxLength ?? 512);
  const maxPromptLength = positiveInt("maxPromptLength", options.maxPromptLength ?? 128);
  if (maxPromptLength >= maxLength) {
    throw new RangeError(
      `maxPromptLength (${maxPromptLength}) must be below maxLength (${maxLength}): truncated responses get maxLength - maxPromptLength tokens.`,
    );
  }
  const truncationMode = options.truncationMode ?? "keep_end";
  if (truncationMode !== "keep_end" && truncationMode !== "keep_start") {
    throw new RangeError(
      `truncationMode must be "keep_end" or "keep_start", got ${JSON.stringify(truncationMode)}.`,
    );
  }
  return { maxLength, maxPromptLength, truncationMode, labelPadTokenId: options.labelPadTokenId ?? -100 };
}
