/** What goes into the README of an exported TRL run. */
export interface TrlReadmeOptions {
  /** The recipe it came from. */
  recipe: string;
  /** GPUs of the launch command. */
  n: number;
  /** Rows in data/train.jsonl and data/test.jsonl. */
  trainRows: number;
  testRows: number;
  /** Whether the recipe clamps the WPO weight at 1 (as the WPO code does). */
  clamp: boolean;
  /** The launch command. */
  launch: string;
  /** Recipe options that are not TRL fields, and what happened to each. */
  notes: Array<[string, string]>;
}

/**
 * The README of an exported TRL run: what the files are, which TRL versions to install, how to launch.
 *
 * @param o What to describe.
 * @returns Markdown.
 * @example
 * ```ts
 * import { trlReadme } from "@wpo/cli";
 * const text = trlReadme({ recipe: "r.yaml", n: 8, trainRows: 10, testRows: 0, clamp: true, launch: "accelerate launch", notes: [] });
 * console.assert(text.includes("0.12") && text.includes("0.29"));
 * ```
 */
export function trlReadme(o: TrlReadmeOptions): string {
  const install = o.clamp
    ? '"trl>=0.12,<0.29" "transformers>=4.56.2,<5" deepspeed accelerate'
    : '"trl>=0.29" deepspeed accelerate';
  const notes = o.notes.map(([k, what]) => `| \`${k}\` | ${what} |`).join("\n");
  return `# WPO run for TRL (exported by \`wpo export trl\`)

From recipe \`${o.recipe}\`, for one machine with ${o.n} GPUs, DeepSpeed ZeRO-3, bf16.

| file | what |
|---|---|
| \`data/train.jsonl\` | ${o.trainRows} preference pairs in TRL's format (\`prompt\`, \`chosen\`, \`rejected\`; text or messages) |
${o.testRows > 0 ? `| \`data/test.jsonl\` | ${o.testRows} held-out pairs |\n` : ""}| \`dpo_config.yaml\` | \`DPOConfig\` (with \`use_weighting\`), \`ScriptArguments\` and \`ModelConfig\` fields, under TRL's names |
| \`accelerate_zero3.yaml\` | accelerate launch config: DeepSpeed ZeRO-3, ${o.n} processes |
| \`launch.sh\` | the launch command below |

## Which TRL

The WPO weight of a pair is exp(mean over chosen tokens + mean over rejected tokens of log p - log sum p^2),
computed without gradient. TRL versions differ in one point:

- **TRL 0.12 to 0.28** (\`use_weighting\` appeared in 0.12) clamp the weight at 1, as the WPO authors' code and
  \`wpo\` with \`wpo_clamp: true\` do.
- **TRL 0.29 and later** (1.x included) do not clamp: the weight can exceed 1 (\`wpo_clamp: false\` in \`wpo\`).

This recipe ${o.clamp ? "clamps" : "does not clamp"}, so install:

\`\`\`sh
pip install ${install}
\`\`\`

The field names were checked against TRL 0.28.0 (\`DPOConfig\`, \`ScriptArguments\`, \`ModelConfig\`) and the
transformers 4.x \`TrainingArguments\` it inherits.

## Launch

\`\`\`sh
${o.launch}
\`\`\`

Change \`--num_processes\` (and \`num_processes\` in \`accelerate_zero3.yaml\`) for another GPU count; keep
\`per_device_train_batch_size x gradient_accumulation_steps x GPUs\` equal to the recipe's effective batch.
Checkpoints are Hugging Face model folders, which \`wpo\` loads back (\`--model\`, or \`--resume\`).

## Recipe options that are not TRL fields

| option | what happened |
|---|---|
${notes}
`;
}
