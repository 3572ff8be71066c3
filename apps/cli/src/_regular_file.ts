import { statSync } from "node:fs";

/**
 * Throws unless `path` is a regular file (not a folder, device, pipe or socket: `/dev/zero` never ends) of
 * at most `maxBytes`; the message names `what` and the path.
 */
export function assertRegularFile(path: string, what: string, maxBytes = Number.POSITIVE_INFINITY): void {
  let s: ReturnType<typeof statSync>;
  try {
    s = statSync(path);
  } catch {
    throw new Error(`${what} '${path}' does not exist: check the path.`);
  }
  if (s.isDirectory()) throw new TypeError(`${what} '${path}' is a folder: pass the path of a file.`);
  if (!s.isFile()) {
    throw new TypeError(
      `${what} '${path}' is not a regular file (a device, pipe or socket): pass the path of a file.`,
    );
  }
  if (s.size > maxBytes) {
    throw new RangeError(
      `${what} '${path}' has ${s.size} bytes, more than the ${maxBytes} such a file may have.`,
    );
  }
}
