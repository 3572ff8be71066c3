/**
 * The Node built-ins that @wpo/data uses (files, paths). Imported as `#node-only`: package.json "imports"
 * maps it to this file under the `node` condition and to `_node_only.browser.ts` elsewhere, so the browser
 * build carries no Node module.
 * @module
 */
// hyparquet's file reader exists in its Node build only.
export { asyncBufferFromFile } from "hyparquet";
export { createReadStream } from "node:fs";
export { readFile, stat } from "node:fs/promises";
export { createInterface } from "node:readline";
export { createGunzip, gunzipSync } from "node:zlib";
