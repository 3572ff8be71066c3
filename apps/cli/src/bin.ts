const verbose = process.argv.includes("--verbose");

async function fail(error: unknown): Promise<never> {
  let text: string;
  try {
    text = (await import("./cli_error.ts")).formatCliError(error, { verbose });
  } catch {
    text = `wpo: ${(error as Error)?.message ?? String(error)}\n`;
  }
  process.stderr.write(text);
  process.exit(1);
}

// Imported dynamically so that a broken installation (a missing module) is reported the same way.
import("./main.ts")
  .then(({ runCli }) =>
    runCli(process.argv.slice(2), { out: (line) => process.stdout.write(`${line}\n`), err: process.stderr }),
  )
  .then((code) => process.exit(code), fail);
