import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Finds a bundled asset (stories260K.bin, tok512.bin): first `dist/assets/` beside the
 * built CLI (copied there by the build), then the repository's `assets/` folder.
 *
 * @param name File name.
 * @returns Absolute path.
 * @throws {Error} naming the places searched and what to do.
 * @example
 * ```ts
 * import { resolveAsset } from "@wpo/cli";
 * console.assert(resolveAsset("tok512.bin").endsWith("tok512.bin"));
 * ```
 */
export function resolveAsset(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, "assets", name), resolve(here, "..", "..", "..", "assets", name)];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(
    `Bundled asset '${name}' not found (looked in ${candidates.join(", ")}). Run \`pnpm build\` in a full clone, or pass --model.`,
  );
}
