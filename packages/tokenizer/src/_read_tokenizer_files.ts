/** Reads tokenizer.json and, when present, tokenizer_config.json from the same folder (Node only). */
import { dirname, join, readFile } from "#node-only";

/**
 * Reads and parses the files of a Hugging Face tokenizer.
 *
 * @param pathToTokenizerJson Path of tokenizer.json.
 * @returns The parsed tokenizer.json and tokenizer_config.json (undefined when absent).
 */
export async function readTokenizerFiles(
  pathToTokenizerJson: string,
): Promise<{ json: unknown; config: unknown }> {
  if (typeof pathToTokenizerJson !== "string")
    throw new TypeError("Tokenizer.fromFile: path must be a string.");
  const text = await readFile(pathToTokenizerJson, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`${pathToTokenizerJson}: invalid JSON (${(error as Error).message}).`);
  }
  const configPath = join(dirname(pathToTokenizerJson), "tokenizer_config.json");
  let configText: string | undefined;
  try {
    configText = await readFile(configPath, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
  let config: unknown;
  if (configText !== undefined) {
    try {
      config = JSON.parse(configText);
    } catch (error) {
      throw new SyntaxError(`${configPath}: invalid JSON (${(error as Error).message}).`);
    }
  }
  return { json, config };
}
