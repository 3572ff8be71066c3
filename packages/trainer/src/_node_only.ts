/**
 * The Node built-ins that @wpo/trainer uses (files, paths). Imported as `#node-only`: package.json "imports"
 * maps it to this file under the `node` condition and to `_node_only.browser.ts` elsewhere, so the browser
 * build carries no Node module.
 * @module
 */
export { createHash } from "node:crypto";
export {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
export { basename, dirname, join } from "node:path";
export { setFlagsFromString } from "node:v8";
export { runInNewContext } from "node:vm";
