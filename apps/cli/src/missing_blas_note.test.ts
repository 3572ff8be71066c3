import { describe, expect, it } from "vitest";
import { missingBlasNote } from "./missing_blas_note.ts";

describe("missingBlasNote", () => {
  it("says plainly that native BLAS is missing and how to add it", () => {
    const note = missingBlasNote({
      name: "wasm",
      notes: ["matmul: native BLAS unavailable (libopenblas not found); using wasm matmul"],
    });
    expect(note).toMatch(/^wpo: note: native BLAS is missing/);
    expect(note).toContain("apt-get install gcc make libopenblas-dev");
    expect(note).toContain("libopenblas not found");
  });

  it("is silent when the addon loaded or another backend runs", () => {
    expect(missingBlasNote({ name: "wasm", notes: ["matmul: native OpenBLAS sgemm"] })).toBeUndefined();
    expect(
      missingBlasNote({ name: "webgpu", notes: ["matmul: native BLAS unavailable (x)"] }),
    ).toBeUndefined();
  });
});
