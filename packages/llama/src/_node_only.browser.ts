/**
 * The browser side of `#node-only` for @wpo/llama: the same names, with the same types. Path helpers work
 * on "/"-separated strings; anything that touches files throws an error that names the Node-only call.
 * @module
 */
import type * as cryptoTypes from "node:crypto";
import type * as fsPromisesTypes from "node:fs/promises";
import type * as pathTypes from "node:path";

function nodeOnly(module: string, name: string): unknown {
  return () => {
    throw new Error(
      `@wpo/llama: this call needs Node (${module} ${name}); in the browser pass data in memory instead.`,
    );
  };
}

export const createHash = nodeOnly("node:crypto", "createHash") as typeof cryptoTypes.createHash;
export const access = nodeOnly("node:fs/promises", "access") as typeof fsPromisesTypes.access;
export const mkdir = nodeOnly("node:fs/promises", "mkdir") as typeof fsPromisesTypes.mkdir;
export const open = nodeOnly("node:fs/promises", "open") as typeof fsPromisesTypes.open;
export const readFile = nodeOnly("node:fs/promises", "readFile") as typeof fsPromisesTypes.readFile;
export const readdir = nodeOnly("node:fs/promises", "readdir") as typeof fsPromisesTypes.readdir;
export const stat = nodeOnly("node:fs/promises", "stat") as typeof fsPromisesTypes.stat;
export const writeFile = nodeOnly("node:fs/promises", "writeFile") as typeof fsPromisesTypes.writeFile;
export const isAbsolute = nodeOnly("node:path", "isAbsolute") as typeof pathTypes.isAbsolute;
export function join(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "").join("/");
  return joined === "" ? "." : joined.replace(/\/{2,}/g, "/");
}
export const relative = nodeOnly("node:path", "relative") as typeof pathTypes.relative;
export const resolve = nodeOnly("node:path", "resolve") as typeof pathTypes.resolve;
