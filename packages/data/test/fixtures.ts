import { readFileSync } from "node:fs";

/** Absolute path of a file in packages/data/fixtures. */
export function fixturePath(name: string): string {
  return new URL(`../fixtures/${name}`, import.meta.url).pathname;
}

/** Absolute path of a file in the repository's assets/ folder. */
export function assetPath(name: string): string {
  return new URL(`../../../assets/${name}`, import.meta.url).pathname;
}

/** Parses a JSON fixture. */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), "utf8")) as T;
}
