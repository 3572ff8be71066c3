import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  latestCheckpoint,
  latestGoodCheckpoint,
  readCheckpointFiles,
  removeDeadCheckpointTemps,
  writeCheckpointFiles,
} from "./checkpoint_io.ts";

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
  it("finds a flipped bit by sha256 and falls back to the previous intact checkpoint with a warning", () => {
    const root = mkdtempSync(join(tmpdir(), "wpo-ckpt-"));
    writeCheckpointFiles(join(root, "checkpoint-1"), { "w.bin": new Uint8Array([1, 2, 3]) });
    writeCheckpointFiles(join(root, "checkpoint-2"), { "w.bin": new Uint8Array([4, 5, 6]) });
    writeFileSync(join(root, "checkpoint-2", "w.bin"), new Uint8Array([4, 5, 7]));
    expect(() => readCheckpointFiles(join(root, "checkpoint-2"))).toThrow(/does not match its sha256/);
    const warnings: string[] = [];
    expect(latestGoodCheckpoint(root, { warn: (l) => warnings.push(l) })).toBe(join(root, "checkpoint-1"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/checkpoint-2'.*sha256.*Falling back to .*checkpoint-1/);
    writeFileSync(join(root, "checkpoint-1", "manifest.json"), "{not json");
    expect(latestGoodCheckpoint(root)).toBeUndefined();
    expect(() => readCheckpointFiles(join(root, "checkpoint-1"))).toThrow(/manifest.json does not parse/);
  });
  it("removes the temporaries of dead writers only", () => {
    const root = mkdtempSync(join(tmpdir(), "wpo-ckpt-"));
    for (const n of [
      "checkpoint-3.tmp-999999999-5",
      "checkpoint-3.tmp-999999999-5.old",
      `checkpoint-4.tmp-1-7`,
    ]) {
      mkdirSync(join(root, n));
    }
    expect(removeDeadCheckpointTemps(root).length).toBe(2);
    expect(readdirSync(root)).toEqual(["checkpoint-4.tmp-1-7"]); // pid 1 is alive
  });
});
