const verbose = process.argv.includes("--verbose");

function fail(error: unknown): never {
  const e = error as Error;
  process.stderr.write(`wpo: ${e?.message ?? String(error)}\n`);
  if (verbose && e?.stack) process.stderr.write(`${e.stack}\n`);
  else process.stderr.write("(run with --verbose for the stack trace)\n");
  process.exit(1);
}

// Imported dynamically so that a broken installation (a missing module) is reported the same way.
import("./main.ts")
  .then(({ runCli }) =>
    runCli(process.argv.slice(2), { out: (line) => process.stdout.write(`${line}\n`), err: process.stderr }),
  )
  .then((code) => process.exit(code), fail);
