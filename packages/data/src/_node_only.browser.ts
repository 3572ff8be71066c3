/**
 * The browser side of `#node-only` for @wpo/data: the same names, with the same types. Path helpers work
 * on "/"-separated strings; anything that touches files throws an error that names the Node-only call.
 * @module
 */
import type * as hyparquetTypes from "hyparquet";
import type * as fsTypes from "node:fs";
import type * as fsPromisesTypes from "node:fs/promises";
import type * as readlineTypes from "node:readline";
import type * as zlibTypes from "node:zlib";

function nodeOnly(module: string, name: string): unknown {
  return () => {
    throw new Error(
      `@wpo/data: this call needs Node (${module} ${name}); in the browser pass data in memory instead.`,
    );
  };
}

export const asyncBufferFromFile = nodeOnly(
  "hyparquet",
  "asyncBufferFromFile",
) as typeof hyparquetTypes.asyncBufferFromFile;
export const createReadStream = nodeOnly("node:fs", "createReadStream") as typeof fsTypes.createReadStream;
export const readFile = nodeOnly("node:fs/promises", "readFile") as typeof fsPromisesTypes.readFile;
export const stat = nodeOnly("node:fs/promises", "stat") as typeof fsPromisesTypes.stat;
export const createInterface = nodeOnly(
  "node:readline",
  "createInterface",
) as typeof readlineTypes.createInterface;
export const createGunzip = nodeOnly("node:zlib", "createGunzip") as typeof zlibTypes.createGunzip;
export const gunzipSync = nodeOnly("node:zlib", "gunzipSync") as typeof zlibTypes.gunzipSync;
