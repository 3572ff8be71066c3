/** What each errno means for a user, and what to do. */
const ADVICE: Record<string, [string, string]> = {
  ENOSPC: ["no space left on the device", "free some space or choose another --output_dir"],
  EDQUOT: ["the disk quota is exhausted", "free some space or choose another --output_dir"],
  EEXIST: ["it already exists", "remove it or choose another path"],
  ENOENT: ["it does not exist", "check the path (a parent folder may be missing)"],
  EROFS: ["the filesystem is read-only", "choose a folder on a writable filesystem"],
  EACCES: ["permission denied", "choose a path you may read or write, or change its permissions"],
  EPERM: ["the operation is not permitted", "choose a path you may read or write"],
  EISDIR: ["it is a folder, a file was expected", "pass the path of a file"],
  ENOTDIR: ["a part of the path is a file, not a folder", "check the path"],
  EMFILE: ["too many open files", "raise the limit (ulimit -n) or close other programs"],
  EIO: ["an input/output error from the device", "check the disk (dmesg) and retry"],
  ENAMETOOLONG: ["the path is too long", "choose a shorter path"],
  ELOOP: ["the path has a symbolic-link loop", "check the links in the path"],
};

/**
 * Rewrites a Node.js system error (`ENOSPC: no space left on device, write`) as a sentence that names the
 * path and says what to do; undefined for any other error.
 *
 * @param error What was thrown.
 * @returns The rewritten message, or undefined.
 * @example
 * ```ts
 * import { describeIoError } from "@wpo/cli";
 * const e = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write", path: "/r/metrics.jsonl" });
 * console.assert(describeIoError(e) === "Cannot write '/r/metrics.jsonl': no space left on the device (ENOSPC). Free some space or choose another --output_dir.");
 * ```
 */
export function describeIoError(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException & { dest?: string };
  const code = e?.code;
  if (typeof code !== "string" || !Object.hasOwn(ADVICE, code) || !/^E[A-Z]+: /.test(e.message ?? "")) {
    return undefined;
  }
  const [what, todo] = ADVICE[code]!;
  const verb =
    {
      open: "open",
      read: "read",
      write: "write",
      mkdir: "create folder",
      rename: "rename",
      scandir: "list",
      rmdir: "remove",
      unlink: "remove",
      stat: "find",
      lstat: "find",
      fsync: "flush",
    }[e.syscall ?? ""] ?? (e.syscall ? `${e.syscall}` : "use");
  const target = e.path ? ` '${e.path}'${e.dest ? ` to '${e.dest}'` : ""}` : " a file";
  return `Cannot ${verb}${target}: ${what} (${code}). ${todo[0]!.toUpperCase()}${todo.slice(1)}.`;
}
