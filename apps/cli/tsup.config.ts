import { chmodSync, copyFileSync, mkdirSync } from "node:fs";
import { defineConfig } from "tsup";
import { sharedTsupConfig } from "../../tsup.shared.ts";

/** The demo's model and tokenizer travel with the built CLI (dist/assets), with their provenance. */
const ASSETS = ["stories260K.bin", "tok512.bin", "PROVENANCE.md"];

export default defineConfig({
  ...sharedTsupConfig,
  entry: ["src/mod.ts", "src/bin.ts"],
  banner: { js: "#!/usr/bin/env node" },
  async onSuccess() {
    mkdirSync("dist/assets", { recursive: true });
    for (const name of ASSETS) copyFileSync(`../../assets/${name}`, `dist/assets/${name}`);
    chmodSync("dist/bin.js", 0o755);
  },
});
