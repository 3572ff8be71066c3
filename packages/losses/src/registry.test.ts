import { describe, expect, test } from "vitest";
import { BUILTIN_LOSSES } from "./losses/mod.ts";
import { getLoss, listLosses, registerLoss } from "./registry.ts";

const ISSUE_LOSSES = [
  "sigmoid",
  "robust",
  "hinge",
  "ipo",
  "exo_pair",
  "nca_pair",
  "bco_pair",
  "sppo_hard",
  "aot",
  "aot_pair",
  "apo_zero",
  "apo_down",
  "discopop",
  "sigmoid_norm",
  "simpo",
  "orpo",
  "cpo",
  "sft",
];

describe("registry", () => {
  test("registers every loss the issue names, each with a paper link and defaults", () => {
    for (const name of ISSUE_LOSSES) {
      const loss = getLoss(name);
      expect(loss.name).toBe(name);
      expect(loss.paper).toMatch(/^https:\/\//);
      expect(loss.defaults.beta).toBeGreaterThan(0);
    }
    expect(BUILTIN_LOSSES.map((l) => l.name).sort()).toEqual([...ISSUE_LOSSES].sort());
  });

  test("unknown names and duplicates are errors; override and new names work", () => {
    expect(() => getLoss("nope")).toThrow(/Unknown preference loss 'nope'.*sigmoid/);
    expect(() => registerLoss(getLoss("ipo"))).toThrow(RangeError);
    expect(() => registerLoss({} as never)).toThrow(TypeError);
    registerLoss({ ...getLoss("hinge"), name: "slic" });
    expect(listLosses()).toContain("slic");
    registerLoss({ ...getLoss("hinge"), name: "slic", summary: "again" }, { override: true });
    expect(getLoss("slic").summary).toBe("again");
  });

  test("defaults follow the papers / reference trainers", () => {
    expect(getLoss("sigmoid").defaults).toEqual({ beta: 0.1, labelSmoothing: 0 });
    expect(getLoss("simpo").defaults).toEqual({ beta: 2.0, gammaBetaRatio: 0.25, labelSmoothing: 0 });
    expect(getLoss("discopop").defaults.discopopTau).toBe(0.05);
    expect(getLoss("cpo").defaults.nllWeight).toBe(1);
  });

  test("an option given as undefined keeps the default", async () => {
    const { initBackend } = await import("@wpo/backends");
    const { logpStats } = await import("./logp_stats.ts");
    await initBackend("cpu");
    const side = logpStats([-3], [1]);
    const { losses } = getLoss("hinge").compute(
      { policyChosen: side, policyRejected: side },
      { beta: undefined },
    );
    expect((await losses.data())[0]).toBe(1);
  });

  test("option ranges are checked", () => {
    const loss = getLoss("robust");
    const bad = { beta: -1 };
    expect(() => loss.compute({} as never, bad)).toThrow(RangeError);
    expect(() => loss.compute({} as never, { labelSmoothing: 0.5 })).toThrow(/\[0, 0.5\)/);
    expect(() => loss.compute({} as never)).toThrow(TypeError);
  });
});
