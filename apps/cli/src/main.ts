import { initBackend, shutdownBackend } from "@wpo/backends";
import { patchWasmOneHot } from "./_wasm_onehot_fix.ts";
import { formatHelp, parseCliArgs } from "./cli_args.ts";
import { type CliIo, runDemo } from "./demo_pipeline.ts";
import { runTrain } from "./train_command.ts";
import { resolveTrainOptions, TRAIN_OPTIONS } from "./train_options.ts";

const USAGE = `wpo <command> [options]

Commands:
  train        train with WPO (no options: the embedded stories260K demo)
  help         show this help

Run \`wpo <command> --help\` for a command's options.
`;

/**
 * Runs the `wpo` command line (without the top-level error handler; see `bin.ts`).
 *
 * @param argv Arguments after `wpo`.
 * @param io Output streams.
 * @returns The exit code.
 * @example
 * ```ts
 * import { runCli } from "@wpo/cli";
 * let text = "";
 * const code = await runCli(["help"], { out: (l: string) => { text += l; }, err: { write: () => true } });
 * console.assert(code === 0 && text.includes("wpo train"));
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.out(USAGE);
    return 0;
  }
  if (command === "train") {
    const { values } = parseCliArgs(rest, TRAIN_OPTIONS);
    if (values.help) {
      io.out(formatHelp("wpo train [options]", TRAIN_OPTIONS));
      return 0;
    }
    const options = resolveTrainOptions(values);
    const info = await initBackend(options.backend as "auto");
    if (await patchWasmOneHot())
      io.out("note: patched the wasm OneHot kernel (float32 output bug in tfjs 4.22)");
    try {
      if (options.data === undefined) await runDemo(options, { ...io, backend: info.name });
      else await runTrain(options, io);
    } finally {
      shutdownBackend();
    }
    return 0;
  }
  throw new RangeError(`Unknown command '${command}'. Run \`wpo help\` for the list.`);
}
