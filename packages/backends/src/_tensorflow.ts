import * as tf from "@tensorflow/tfjs-core";

/** Options of the native TensorFlow backend. */
export interface TensorflowOptions {
  /** Prefer `@tensorflow/tfjs-node-gpu` (CUDA) over `@tensorflow/tfjs-node`. Default: try gpu first. */
  gpu?: boolean;
}

const PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

/**
 * Activates the native TensorFlow backend from tfjs-node(-gpu), if the user installed it.
 * It is never a dependency of this project: its install script downloads libtensorflow.
 * @returns the package that provided it.
 */
export async function activateTensorflow(options: TensorflowOptions = {}): Promise<string> {
  const order = options.gpu === false ? [PACKAGES[1]] : options.gpu === true ? [PACKAGES[0]] : [...PACKAGES];
  const errors: string[] = [];
  for (const pkg of order) {
    try {
      // A variable specifier keeps bundlers from resolving an optional package.
      const specifier: string = pkg;
      await import(/* @vite-ignore */ specifier);
    } catch (error) {
      errors.push(`${pkg}: ${(error as Error).message.split("\n")[0]}`);
      continue;
    }
    if (await tf.setBackend("tensorflow")) return pkg;
    errors.push(`${pkg}: loaded, but the 'tensorflow' backend did not initialise`);
  }
  throw new Error(
    `The 'tensorflow' backend needs @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA), and neither ` +
      `could be loaded. Install one in your project, e.g. \`pnpm add @tensorflow/tfjs-node@4.22.0\`, or choose ` +
      `--backend wasm. Details: ${errors.join("; ")}`,
  );
}

/** Whether a tfjs-node package can be loaded, without activating it. */
export async function tensorflowAvailable(): Promise<boolean> {
  for (const pkg of PACKAGES) {
    try {
      const specifier: string = pkg;
      await import(/* @vite-ignore */ specifier);
      return true;
    } catch {
      // not installed
    }
  }
  return false;
}
