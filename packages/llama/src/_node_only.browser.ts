/**
 * The browser side of `#node-only` for @wpo/llama: the same names, with the same types. Path helpers work
 * on "/"-separated strings; anything that touches files throws an error that names the Node-only call.
 * @module
 */
import type * as fs_promisesTypes from "node:fs/promises";

function nodeOnly(module: string, name: string): unknown {
  return () => {
    throw new Error(
      `@wpo/llama: this call needs Node (${module} ${name}); in the browser pass data in memory instead.`,
    );
  };
}

export const access = nodeOnly("node:fs/promises", "access") as typeof fs_promisesTypes.access;
export const mkdir = nodeOnly("node:fs/promises", "mkdir") as typeof fs_promisesTypes.mkdir;
export const readFile = nodeOnly("node:fs/promises", "readFile") as typeof fs_promisesTypes.readFile;
export const writeFile = nodeOnly("node:fs/promises", "writeFile") as typeof fs_promisesTypes.writeFile;
export function join(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "").join("/");
  return joined === "" ? "." : joined.replace(/\/{2,}/g, "/");
}
