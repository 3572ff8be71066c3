import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { formatCliError } from "../../src/cli_error.ts";
import { tempDir, tinyData, wpo } from "./_harness.ts";

describe("faults: I/O errors name the path and what to do", { timeout: 240_000 }, () => {
  const dir = tempDir();
  const data = tinyData(dir);
  const scored = join(dir, "scored.jsonl");
  writeFileSync(
    scored,
    `${JSON.stringify({
      prompt: "p",
      responses: [
        { text: "fun", score: 1 },
        { text: "sad", score: -1 },
      ],
    })}\n`,
  );

  it("a damaged gzip and a file that is not Parquet", async () => {
    const gz = gzipSync(readFileSync(data));
    gz[10] = gz[10]! ^ 0xff;
    writeFileSync(join(dir, "bad.jsonl.gz"), gz);
    writeFileSync(join(dir, "bad.parquet"), "not parquet");
    for (const [name, message] of [
      ["bad.jsonl.gz", /cannot be decoded as JSONL \(gzip\): .*\. The file is damaged/],
      ["bad.parquet", /cannot be decoded as Parquet: .*\. The file is damaged, truncated or not Parquet/],
    ] as const) {
      const r = await wpo([
        "train",
        `--data=${join(dir, name)}`,
        "--backend=cpu",
        `--output_dir=${join(dir, name)}-run`,
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`^wpo: Preference dataset '${join(dir, name).replace(/\./g, "\\.")}' `),
      );
      expect(r.stderr).toMatch(message);
    }
  });

  it("ENOSPC (/dev/full) and EISDIR name the file being written", async () => {
    const full = await wpo(["pairs", `--input=${scored}`, "--output=/dev/full"]);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(
      /^wpo: Cannot write '\/dev\/full': no space left on the device \(ENOSPC\)\. Free some space or choose another --output_dir\./,
    );
    mkdirSync(join(dir, "folder"));
    const isDir = await wpo(["pairs", `--input=${scored}`, `--output=${join(dir, "folder")}`]);
    expect(isDir.stderr).toMatch(
      /^wpo: Cannot open '.*folder': it is a folder, a file was expected \(EISDIR\)\. Pass the path of a file\./,
    );
  });

  it("EEXIST, EROFS, EACCES and ENOENT from the system are rewritten, other errors kept", () => {
    const sys = (code: string, syscall: string, path: string) =>
      Object.assign(new Error(`${code}: raw text, ${syscall} '${path}'`), { code, syscall, path });
    expect(formatCliError(sys("EEXIST", "mkdir", "/r/checkpoint-3"))).toMatch(
      /^wpo: Cannot create folder '\/r\/checkpoint-3': it already exists \(EEXIST\)\. Remove it or choose another path\.\n/,
    );
    expect(formatCliError(sys("EROFS", "open", "/ro/metrics.jsonl"))).toMatch(
      /^wpo: Cannot open '\/ro\/metrics\.jsonl': the filesystem is read-only \(EROFS\)\. Choose a folder on a writable filesystem\./,
    );
    expect(formatCliError(sys("EACCES", "open", "/root/x"))).toMatch(
      /^wpo: Cannot open '\/root\/x': permission denied \(EACCES\)/,
    );
    expect(formatCliError(sys("ENOENT", "mkdir", "/ro/a/b"))).toMatch(
      /^wpo: Cannot create folder '\/ro\/a\/b': it does not exist \(ENOENT\)\. Check the path/,
    );
    expect(formatCliError(new RangeError("Option --beta must not be negative, got -1."))).toMatch(
      /^wpo: Option --beta/,
    );
  });
});
