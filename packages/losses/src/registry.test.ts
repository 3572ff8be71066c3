import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { BUILTIN_LOSSES } from "./builtin_losses.ts";
import { getLoss, listLosses, registerLoss } from "./registry.ts";

const here = dirname(fileURLToPath(import.meta.url));
const docs = readFileSync(join(here, "..", "..", "..", "docs", "losses.md"), "utf8");
const fixture = JSON.parse(readFileSync(join(here, "..", "fixtures", "losses.json"), "utf8")) as {
  cases: { name: string }[];
};

describe("registry", () => {
  test.each(
    BUILTIN_LOSSES.map((loss) => [loss.name, loss] as const),
  )("built-in '%s' is complete: registered, paper, options with help, test, PyTorch cases, docs row", (name, loss) => {
    expect(getLoss(name)).toBe(loss);
    expect(loss.paper).toMatch(/^https:\/\//);
    expect(loss.defaults.beta).toBeGreaterThan(0);
    for (const key of Object.keys(loss.defaults))
      expect(loss.optionHelp[key], `help of '${key}'`).toBeTruthy();
    expect(existsSync(join(here, "losses", `${name}.test.ts`)), `src/losses/${name}.test.ts`).toBe(true);
    expect(fixture.cases.some((c) => c.name === name)).toBe(true);
    expect(docs).toContain(`| \`${name}\` |`);
  });

  test("lists the built-ins first, in order, without duplicates", () => {
    const names = BUILTIN_LOSSES.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    expect(listLosses().slice(0, names.length)).toEqual(names);
  });

  test("unknown names and duplicates are errors; override and new names work", () => {
    expect(() => getLoss("nope")).toThrow(/Unknown preference loss 'nope'.*sigmoid/);
    expect(() => registerLoss(getLoss("ipo"))).toThrow(RangeError);
    expect(() => registerLoss({} as never)).toThrow(TypeError);
    registerLoss({ ...getLoss("hinge"), name: "my_hinge" });
    expect(listLosses()).toContain("my_hinge");
    registerLoss({ ...getLoss("hinge"), name: "my_hinge", summary: "again" }, { override: true });
    expect(getLoss("my_hinge").summary).toBe("again");
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
