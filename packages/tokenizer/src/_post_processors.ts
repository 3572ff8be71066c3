/** tokenizer.json post-processors: add special tokens around the ids of one sequence. */
import { asObject, describe, stageType, unknownStage } from "./_config.ts";

/** Adds special tokens to a single sequence's ids. */
export type PostProcess = (ids: number[]) => number[];

const KNOWN = ["TemplateProcessing", "ByteLevel", "Sequence", "BertProcessing", "RobertaProcessing"];

/**
 * Builds the post-processor described by tokenizer.json (single-sequence template only).
 *
 * @param config The `post_processor` object (null for none).
 * @param where Location for error messages.
 * @returns The post-processor, or undefined when it adds nothing.
 */
export function buildPostProcessor(config: unknown, where = "post_processor"): PostProcess | undefined {
  if (config === null || config === undefined) return undefined;
  const type = stageType(config, where);
  const obj = asObject(config, where);
  switch (type) {
    case "ByteLevel":
      return undefined; // only adjusts offsets
    case "Sequence": {
      const list = obj.processors;
      if (!Array.isArray(list)) throw new TypeError(`${where}: Sequence needs an array "processors".`);
      const stages = list
        .map((p, i) => buildPostProcessor(p, `${where}.processors[${i}]`))
        .filter((p) => p !== undefined);
      if (stages.length === 0) return undefined;
      return (ids) => stages.reduce((acc, stage) => stage(acc), ids);
    }
    case "TemplateProcessing":
      return buildTemplate(obj, where);
    case "BertProcessing":
    case "RobertaProcessing": {
      const cls = obj.cls as [string, number] | undefined;
      const sep = obj.sep as [string, number] | undefined;
      if (
        !Array.isArray(cls) ||
        !Array.isArray(sep) ||
        typeof cls[1] !== "number" ||
        typeof sep[1] !== "number"
      ) {
        throw new TypeError(`${where}: ${type} needs "cls" and "sep" as [token, id].`);
      }
      return (ids) => [cls[1], ...ids, sep[1]];
    }
    default:
      throw unknownStage("post-processor", type, KNOWN);
  }
}

function buildTemplate(obj: Record<string, unknown>, where: string): PostProcess {
  const single = obj.single;
  if (!Array.isArray(single)) throw new TypeError(`${where}: TemplateProcessing needs an array "single".`);
  const specials = asObject(obj.special_tokens ?? {}, `${where}.special_tokens`);
  const before: number[] = [];
  const after: number[] = [];
  let seenSequence = false;
  single.forEach((piece, i) => {
    const p = asObject(piece, `${where}.single[${i}]`);
    if (p.Sequence !== undefined) {
      seenSequence = true;
      return;
    }
    const special = asObject(p.SpecialToken, `${where}.single[${i}].SpecialToken`);
    const entry = asObject(
      specials[special.id as string],
      `${where}.special_tokens[${describe(special.id)}]`,
    );
    const ids = entry.ids;
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === "number")) {
      throw new TypeError(
        `${where}.special_tokens[${describe(special.id)}].ids must be an array of numbers.`,
      );
    }
    (seenSequence ? after : before).push(...(ids as number[]));
  });
  if (before.length === 0 && after.length === 0) return (ids) => ids;
  return (ids) => [...before, ...ids, ...after];
}
