import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../test/fixtures.ts";
import { readPreferenceDataset } from "./read_preference_dataset.ts";

const dir = mkdtempSync(join(tmpdir(), "wpo-data-faults-"));
const row = JSON.stringify({ prompt: "a", chosen: "b", rejected: "c" });

describe("dataset readers on damaged or hostile files", () => {
  it("a JSONL line over the limit is an error naming the file and line, read as bytes", async () => {
    const p = join(dir, "long.jsonl");
    writeFileSync(p, `${row}\n${row}\n{"prompt": "${"x".repeat(5000)}"}\n${row}\n`);
    await expect(readPreferenceDataset(p, { maxLineBytes: 1000 })).rejects.toThrow(
      `Preference dataset '${p}', line 3: longer than 1000 bytes, the limit of one JSONL row.`,
    );
    const unterminated = join(dir, "unterminated.jsonl");
    writeFileSync(unterminated, `${row}\n${"y".repeat(3000)}`);
    await expect(readPreferenceDataset(unterminated, { maxLineBytes: 1000 })).rejects.toThrow(
      /line 2: longer/,
    );
  });

  it("line numbers count \\n, \\r\\n and lone \\r breaks as readline did", async () => {
    const p = join(dir, "crlf.jsonl");
    writeFileSync(p, `${row}\r\n\r\n${row}\r${row}\n{"prompt": 1}\n`);
    const { report } = await readPreferenceDataset(p, { onBadRow: "skip" });
    expect(report.rowsKept).toBe(3);
    expect(report.skipped.map((s) => s.row)).toEqual([5]);
  });

  it("gzip and Parquet decoder errors name the file and say what it should be", async () => {
    const gz = gzipSync(readFileSync(fixturePath("wpo_schema_sample.jsonl")));
    gz[10] = gz[10]! ^ 0xff; // zlib: "invalid distance too far back"
    const p = join(dir, "bad.jsonl.gz");
    writeFileSync(p, gz);
    await expect(readPreferenceDataset(p)).rejects.toThrow(
      new RegExp(
        `^Preference dataset '${p}' cannot be decoded as JSONL \\(gzip\\): .*damaged, truncated or not JSONL \\(gzip\\)`,
      ),
    );
    await expect(readPreferenceDataset(p)).rejects.toThrow(/invalid distance too far back/);
    const q = join(dir, "bad.parquet");
    writeFileSync(q, "this is not parquet at all, only text");
    await expect(readPreferenceDataset(q)).rejects.toThrow(
      new RegExp(`^Preference dataset '${q}' cannot be decoded as Parquet: .*not Parquet`),
    );
  });
});
