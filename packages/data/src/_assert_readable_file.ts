import { stat } from "node:fs/promises";

/** Throws a message naming the dataset path when it is missing or is not a file (instead of a bare ENOENT/EISDIR). */
export async function assertReadableFile(path: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (cause) {
    throw Object.assign(
      new Error(
        `Preference dataset '${path}' does not exist: pass the path of a .jsonl, .json or .parquet file.`,
        {
          cause,
        },
      ),
      { code: "ENOENT" },
    );
  }
  if (!isFile) {
    throw new TypeError(
      `Preference dataset '${path}' is a directory: pass the path of a .jsonl, .json or .parquet file.`,
    );
  }
}
