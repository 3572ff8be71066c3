/**
 * The browser side of `#node-only` for @wpo/tokenizer: the same names, with the same types. Path helpers work
 * on "/"-separated strings; anything that touches files throws an error that names the Node-only call.
 * @module
 */
import type * as fs_promisesTypes from "node:fs/promises";

function nodeOnly(module: string, name: string): unknown {
  return () => {
    throw new Error(
      `@wpo/tokenizer: this call needs Node (${module} ${name}); in the browser pass data in memory instead.`,
    );
  };
}

export const readFile = nodeOnly("node:fs/promises", "readFile") as typeof fs_promisesTypes.readFile;
export function dirname(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  const cut = trimmed.lastIndexOf("/");
  return cut < 0 ? "." : cut === 0 ? "/" : trimmed.slice(0, cut);
}
export function join(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "").join("/");
  return joined === "" ? "." : joined.replace(/\/{2,}/g, "/");
}
