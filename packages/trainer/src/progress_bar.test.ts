import { describe, expect, it } from "vitest";
import { ProgressBar } from "./progress_bar.ts";

describe("ProgressBar", () => {
  it("prints plain lines every N steps when not a TTY, with ETA", () => {
    let t = 0;
    let out = "";
    const bar = new ProgressBar(10, {
      stream: {
        write: (s: string) => {
          out += s;
        },
      },
      plainEvery: 5,
      now: () => t,
    });
    for (let s = 1; s <= 10; s++) {
      t += 1000;
      bar.update(s, { loss: 0.5, accuracy: 0.75, tokensPerSecond: 100 });
    }
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("5/10");
    expect(lines[0]).toContain("acc 0.75");
    expect(lines[0]).toContain("100 tok/s");
    expect(lines[0]).toContain("eta 5s");
    expect(lines[1]).toContain("10/10");
  });
  it("redraws one line on a TTY", () => {
    let out = "";
    const bar = new ProgressBar(2, {
      stream: {
        write: (s: string) => {
          out += s;
        },
        isTTY: true,
      },
    });
    bar.update(1);
    bar.update(2);
    expect(out.startsWith("\r")).toBe(true);
    expect(out.endsWith("\n")).toBe(true);
    expect(out.split("\n")).toHaveLength(2);
  });
});
