/** Small readers for untyped tokenizer.json fragments, with errors that say where. */

/** A JSON object with unknown fields. */
export type JsonObject = Record<string, unknown>;

/** Asserts that `value` is a plain object. */
export function asObject(value: unknown, where: string): JsonObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`${where}: expected an object, got ${describe(value)}.`);
  }
  return value as JsonObject;
}

/** Reads the `type` field of a pipeline stage. */
export function stageType(value: unknown, where: string): string {
  const type = asObject(value, where).type;
  if (typeof type !== "string") throw new TypeError(`${where}: missing string field "type".`);
  return type;
}

/** Reads a string field. */
export function stringField(obj: JsonObject, key: string, where: string): string {
  const v = obj[key];
  if (typeof v !== "string")
    throw new TypeError(`${where}: field "${key}" must be a string, got ${describe(v)}.`);
  return v;
}

/** Reads an optional boolean field with a default. */
export function boolField(obj: JsonObject, key: string, fallback: boolean): boolean {
  const v = obj[key];
  return typeof v === "boolean" ? v : fallback;
}

/** Error for a stage `type` this package does not implement. */
export function unknownStage(kind: string, type: string, known: string[]): TypeError {
  return new TypeError(
    `tokenizer.json: unsupported ${kind} type "${type}". Supported ${kind} types: ${known.join(", ")}.`,
  );
}

/** Short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  return typeof value;
}
