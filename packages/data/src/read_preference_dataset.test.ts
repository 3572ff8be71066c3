import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { assetPath, fixturePath } from "../test/fixtures.ts";
import { BadRowError } from "./bad_row_error.ts";
import { readPreferenceDataset } from "./read_preference_dataset.ts";
import { streamPreferenceRows } from "./stream_preference_rows.ts";

const dir = mkdtempSync(join(tmpdir(), "wpo-data-"));
const wpoLines = readFileSync(fixturePath("wpo_schema_sample.jsonl"), "utf8").trim().split("\n");
const wpoRows = wpoLines.map((l) => JSON.parse(l));

describe("readPreferenceDataset", () => {
  it("reads the WPO schema from JSONL, JSON and gzip JSONL identically", async () => {
    const jsonl = await readPreferenceDataset(fixturePath("wpo_schema_sample.jsonl"));
    expect(jsonl.rows).toEqual(wpoRows);
    expect(jsonl.report).toMatchObject({ format: "jsonl", rowsRead: 12, rowsKept: 12, rowsSkipped: 0 });
    const json = await readPreferenceDataset(fixturePath("wpo_schema_sample.json"));
    expect(json.rows).toEqual(wpoRows.slice(0, 5));
    const gz = join(dir, "rows.jsonl.gz");
    writeFileSync(gz, gzipSync(readFileSync(fixturePath("wpo_schema_sample.jsonl"))));
    expect((await readPreferenceDataset(gz, { limit: 3 })).rows).toEqual(wpoRows.slice(0, 3));
  });

  it("turns raw Anthropic HH transcripts into the WPO schema exactly like the bundled conversion", async () => {
    const hh = await readPreferenceDataset(fixturePath("hh_raw_sample.jsonl"));
    expect(hh.rows).toEqual(wpoRows);
  });

  it("flags the raw HH rows the WPO conversion dropped, by row and field", async () => {
    const { rows, report } = await readPreferenceDataset(assetPath("hh_helpful-base_test.jsonl.gz"), {
      onBadRow: "skip",
    });
    expect(report.rowsRead).toBe(2354);
    expect(report.rowsKept + report.rowsSkipped).toBe(2354);
    expect(report.skipped.find((s) => s.row === 169)).toMatchObject({ field: "rejected" });
    const first256 = readFileSync(assetPath("hh_helpful-base_test.wpo_schema.first256.jsonl"), "utf8");
    expect(rows.slice(0, 256)).toEqual(
      first256
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    );
    // The bundled Parquet (2339 rows) is an in-order subsequence of our 2345 rows: the converter dropped
    // 6 more rows that are structurally valid (its extra rule is unknown).
    const parquet = await readPreferenceDataset(assetPath("hh_helpful-base_test.wpo_schema.snappy.parquet"));
    const key = (r: (typeof rows)[number]) =>
      JSON.stringify(
        [r.prompt, r.chosen, r.rejected].map((x) =>
          Array.isArray(x) ? x.map((m) => [m.role, m.content]) : x,
        ),
      );
    const ours = rows.map(key);
    let at = 0;
    for (const r of parquet.rows) {
      while (at < ours.length && ours[at] !== key(r)) at++;
      expect(at).toBeLessThan(ours.length);
      at++;
    }
    expect([rows.length, parquet.rows.length, report.rowsSkipped]).toEqual([2345, 2339, 9]);
  });

  it("reads the snappy Parquet (list<struct> columns) row group by row group", async () => {
    const { rows, report } = await readPreferenceDataset(
      assetPath("hh_helpful-base_test.wpo_schema.snappy.parquet"),
    );
    expect(report).toMatchObject({ format: "parquet", rowsRead: 2339, rowsKept: 2339 });
    expect(rows.slice(0, 12)).toEqual(wpoRows);
  });

  it("names file, row and field of a bad row, or skips and counts it", async () => {
    const path = join(dir, "bad.jsonl");
    const good = JSON.stringify({ prompt: "p", chosen: "c", rejected: "r" });
    const bad = [
      JSON.stringify({ prompt: "p", chosen: [{ role: "user", content: 3 }], rejected: [] }),
      "{not json",
      JSON.stringify({ prompt: "p", chosen: "c" }),
    ];
    writeFileSync(path, [good, bad[0], "", bad[1], bad[2], good].join("\n"));
    await expect(readPreferenceDataset(path)).rejects.toThrow(`${path}: row 2, field 'chosen[0].content'`);
    const error = await readPreferenceDataset(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRowError);
    const { rows, report } = await readPreferenceDataset(path, { onBadRow: "skip" });
    expect(rows).toHaveLength(2);
    expect(report.rowsSkipped).toBe(3);
    expect(report.skipped.map((s) => [s.row, s.field])).toEqual([
      [2, "chosen[0].content"],
      [4, ""],
      [5, "rejected"],
    ]);
  });

  it("streams with a live report and validates options", async () => {
    const stream = streamPreferenceRows(fixturePath("wpo_schema_sample.jsonl"));
    let n = 0;
    for await (const _row of stream.rows) n++;
    expect([n, stream.report.rowsKept]).toEqual([12, 12]);
    expect(() => streamPreferenceRows("x.csv")).toThrow(/format/);
    expect(() => streamPreferenceRows("x.jsonl", { onBadRow: "drop" as "skip" })).toThrow(RangeError);
    const notArray = join(dir, "obj.json");
    writeFileSync(notArray, "{}");
    await expect(readPreferenceDataset(notArray)).rejects.toThrow(TypeError);
  });
});

describe("missing input", () => {
  it("names the path when the dataset file does not exist or is a directory", async () => {
    await expect(readPreferenceDataset("/nonexistent/pairs.jsonl")).rejects.toThrow(
      /Preference dataset '\/nonexistent\/pairs.jsonl' does not exist/,
    );
    await expect(readPreferenceDataset("/tmp", { format: "jsonl" })).rejects.toThrow(/is a directory/);
  });
});
