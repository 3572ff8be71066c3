import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { latestCheckpoint, readCheckpointFiles, writeCheckpointFiles } from "./checkpoint_io.ts";

describe("checkpoint IO", () => {
  it("writes, replaces and reads checkpoints; finds the latest complete one", () => {
    const root = mkdtempSync(join(tmpdir(), "wpo-ckpt-"));
    writeCheckpointFiles(join(root, "checkpoint-2"), { "a.json": '{"x":1}', "b.bin": new Uint8Array([9]) });
    writeCheckpointFiles(join(root, "checkpoint-2"), { "a.json": '{"x":2}' });
    const files = readCheckpointFiles(join(root, "checkpoint-2"));
    expect(new TextDecoder().decode(files.get("a.json"))).toBe('{"x":2}');
    expect(files.has("b.bin")).toBe(false);
    // an incomplete (no manifest) later checkpoint is ignored
    writeCheckpointFiles(join(root, "checkpoint-5"), { "a.json": "{}" });
    rmSync(join(root, "checkpoint-5", "manifest.json"));
    expect(latestCheckpoint(root)).toBe(join(root, "checkpoint-2"));
    expect(() => readCheckpointFiles(join(root, "checkpoint-5"))).toThrow(/incomplete/);
    expect(readdirSync(root).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });
  it("detects a truncated file and leaves nothing behind when a write fails", () => {
    const root = mkdtempSync(join(tmpdir(), "wpo-ckpt-"));
    const dir = join(root, "checkpoint-1");
    writeCheckpointFiles(dir, { "w.bin": new Uint8Array(16) });
    writeFileSync(join(dir, "w.bin"), new Uint8Array(3));
    expect(() => readCheckpointFiles(dir)).toThrow(/damaged/);
    expect(() => writeCheckpointFiles(join(root, "checkpoint-3"), { "bad/name": "x" })).toThrow(RangeError);
    expect(existsSync(join(root, "checkpoint-3"))).toBe(false);
    expect(readdirSync(root).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });
});
