/**
 * The browser side of `#node-only` for @wpo/trainer: the same names, with the same types. Path helpers work
 * on "/"-separated strings; `createHash("sha256")` is plain JavaScript; anything that touches files throws an
 * error that names the Node-only call.
 * @module
 */
import type * as cryptoTypes from "node:crypto";
import type * as fsTypes from "node:fs";
import type * as v8Types from "node:v8";
import type * as vmTypes from "node:vm";
import { Sha256 } from "./_sha256.ts";

function nodeOnly(module: string, name: string): unknown {
  return () => {
    throw new Error(
      `@wpo/trainer: this call needs Node (${module} ${name}); in the browser pass data in memory instead.`,
    );
  };
}

/** SHA-256 in plain JavaScript (the trainer hashes with sha256 only), so fingerprints work in a browser. */
export const createHash = ((algorithm: string) => {
  if (algorithm !== "sha256")
    throw new RangeError(`@wpo/trainer: only sha256 is available in the browser, not '${algorithm}'.`);
  return new Sha256();
}) as unknown as typeof cryptoTypes.createHash;
export const appendFileSync = nodeOnly("node:fs", "appendFileSync") as typeof fsTypes.appendFileSync;
export const closeSync = nodeOnly("node:fs", "closeSync") as typeof fsTypes.closeSync;
export const existsSync = nodeOnly("node:fs", "existsSync") as typeof fsTypes.existsSync;
export const fsyncSync = nodeOnly("node:fs", "fsyncSync") as typeof fsTypes.fsyncSync;
export const mkdirSync = nodeOnly("node:fs", "mkdirSync") as typeof fsTypes.mkdirSync;
export const openSync = nodeOnly("node:fs", "openSync") as typeof fsTypes.openSync;
export const readFileSync = nodeOnly("node:fs", "readFileSync") as typeof fsTypes.readFileSync;
export const readdirSync = nodeOnly("node:fs", "readdirSync") as typeof fsTypes.readdirSync;
export const renameSync = nodeOnly("node:fs", "renameSync") as typeof fsTypes.renameSync;
export const rmSync = nodeOnly("node:fs", "rmSync") as typeof fsTypes.rmSync;
export const statSync = nodeOnly("node:fs", "statSync") as typeof fsTypes.statSync;
export const writeFileSync = nodeOnly("node:fs", "writeFileSync") as typeof fsTypes.writeFileSync;
export const writeSync = nodeOnly("node:fs", "writeSync") as typeof fsTypes.writeSync;
export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}
export function dirname(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  const cut = trimmed.lastIndexOf("/");
  return cut < 0 ? "." : cut === 0 ? "/" : trimmed.slice(0, cut);
}
export function join(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "").join("/");
  return joined === "" ? "." : joined.replace(/\/{2,}/g, "/");
}
export const setFlagsFromString = nodeOnly(
  "node:v8",
  "setFlagsFromString",
) as typeof v8Types.setFlagsFromString;
export const runInNewContext = nodeOnly("node:vm", "runInNewContext") as typeof vmTypes.runInNewContext;
