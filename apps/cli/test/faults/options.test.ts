import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, tinyData, wpo } from "./_harness.ts";

describe("faults: options and configs", () => {
  const dir = tempDir();
  const data = tinyData(dir);
  const train = ["train", `--data=${data}`, "--backend=cpu", `--output_dir=${join(dir, "run")}`];

  it.for([
    [["--__proto__", "x"], /^wpo: Unknown option --__proto__\./],
    [["--constructor", "x"], /^wpo: Unknown option --constructor\./],
    [["--toString", "1"], /^wpo: Unknown option --toString\./],
    [["--hasOwnProperty=1"], /^wpo: Unknown option --hasOwnProperty\./],
    [["--test_size", "-0.5"], /^wpo: Option --test_size must be in \[0, 1\), got -0\.5\./],
    [["--test_size", "1"], /^wpo: Option --test_size must be in \[0, 1\), got 1\./],
    [["--adam_beta2", "1.5"], /^wpo: Option --adam_beta2 must be in \[0, 1\)/],
    [["--logging_steps", "0"], /^wpo: Option --logging_steps must be in \[1, /],
    [
      ["--reference_free", "--precompute_ref_log_probs"],
      /^wpo: Options --reference_free and --precompute_ref_log_probs exclude each other\./,
    ],
    [
      ["--resume", "--overwrite_output_dir"],
      /^wpo: Options --resume and --overwrite_output_dir exclude each other\./,
    ],
    [
      ["--output", "A", "--output_dir", "B"],
      /^wpo: Options --output \(A\) and --output_dir \(B\) disagree: give one\./,
    ],
  ] as const)("%s is refused", async ([extra, message]) => {
    const r = await wpo([...train, ...extra]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it("prototype keys are unknown commands and unknown config keys too", async () => {
    for (const command of ["constructor", "__proto__", "toString"]) {
      const r = await wpo([command]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^wpo: Unknown command '${command}'`));
    }
    for (const [name, text] of [
      ["proto.yaml", "__proto__:\n  beta: 5\n"],
      ["ctor.json", '{"constructor": 1}'],
      ["proto.json", '{"__proto__": {"beta": 5}}'],
    ]) {
      writeFileSync(join(dir, name!), text!);
      const r = await wpo([...train, `--config=${join(dir, name!)}`]);
      expect(r.code, name).toBe(1);
      expect(r.stderr).toMatch(/^wpo: Config file '.*': unknown option '(__proto__|constructor)'/);
    }
  });
});
