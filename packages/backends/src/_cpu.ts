import * as tf from "@tensorflow/tfjs-core";

/** Registers and activates the plain-JavaScript cpu backend. */
export async function activateCpu(): Promise<void> {
  await import("@tensorflow/tfjs-backend-cpu");
  if (!(await tf.setBackend("cpu"))) {
    throw new Error(
      "The tfjs cpu backend failed to initialise; check that @tensorflow/tfjs-backend-cpu is installed.",
    );
  }
}
