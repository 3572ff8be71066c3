import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeSafetensors, type SafetensorsTensor } from "../src/safetensors.ts";

/** Absolute path of packages/llama/fixtures. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
/** Absolute path of the repository's assets folder. */
export const ASSETS = join(FIXTURES, "..", "..", "..", "assets");

/** Reads fixtures/<rel> as safetensors. */
export function readFixture(rel: string): Map<string, SafetensorsTensor> {
  return decodeSafetensors(new Uint8Array(readFileSync(join(FIXTURES, rel))), { source: rel }).tensors;
}

/** Largest |a-b| / (|b| + floor) over two arrays; floor guards near-zero references. */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (Math.abs(b[i]!) + floor));
  return worst;
}

/** Largest |a-b| relative to max|b| of the whole tensor. */
export function maxErrVsScale(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / scale;
}
