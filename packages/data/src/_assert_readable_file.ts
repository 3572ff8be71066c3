import { stat } from "#node-only";

/** Throws a message naming the dataset path when it is missing or is not a file (instead of a bare ENOENT/EISDIR). */
export async function assertReadableFile(path: string): Promise<void> {
  let isFile: boolean;
  let isDir = false;
  try {
    const s = await stat(path);
    isFile = s.isFile();
    isDir = s.isDirectory();
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
      `Preference dataset '${path}' is ${isDir ? "a directory" : "not a regular file (a device, pipe or socket)"}: pass the path of a .jsonl, .json or .parquet file.`,
    );
  }
}
