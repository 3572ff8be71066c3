// @wpo/tokenizer alone: encode with a Hugging Face tokenizer.json read from disk.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tokenizer } from "@wpo/tokenizer";

const dir = mkdtempSync(join(tmpdir(), "wpo-tok-"));
const json = { model: { type: "BPE", vocab: { o: 0, k: 1, ok: 2 }, merges: ["o k"] } };
writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(json));
const tok = await Tokenizer.fromFile(join(dir, "tokenizer.json"));
const ids = tok.encode("okok");
if (ids.join() !== "2,2") throw new Error(`tokenizer: expected 2,2, got ${ids}`);
console.log(`tokenizer: encode("okok") = [${ids}]`);
