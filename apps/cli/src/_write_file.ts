import { writeFileSync as nodeWriteFileSync } from "node:fs";

/** `fs.writeFileSync` that names the file in a failed write (Node's write(2) errors carry no path). */
export function writeFileSync(path: string, data: string | Uint8Array): void {
  try {
    nodeWriteFileSync(path, data);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e?.code && !e.path) e.path = path;
    throw error;
  }
}
