import * as tf from "@tensorflow/tfjs-core";
import { fusedAdamWAvailable, fusedAdamWUpdate } from "./adamw_kernel.ts";
import { type AdamWOptions, groupOf, type ResolvedGroup, resolveOptions } from "./adamw_options.ts";
import {
  assertSameShape,
  lookupGradient,
  type NamedGradients,
  type NamedVariables,
  variableEntries,
} from "./_named.ts";

/** Optimizer state as plain data: enough to resume bit-exactly (`state()` / `loadState()`). */
export interface AdamWState {
  /** Number of `step` calls made. */
  step: number;
  /** Updates each parameter has received (a parameter without a gradient in a step is skipped, as in torch). */
  paramSteps: Record<string, number>;
  /** First moments (torch `exp_avg`), float32, by parameter name. */
  m: Record<string, Float32Array>;
  /** Second moments (torch `exp_avg_sq`), float32, by parameter name. */
  v: Record<string, Float32Array>;
}

/** Options of {@linkcode AdamW.step}. */
export interface AdamWStepOptions {
  /** Learning rate of this update (e.g. baseLr x schedule(step)); each group scales it by its `lrScale`. */
  lr?: number;
}

interface Slot {
  name: string;
  variable: tf.Variable;
  group: ResolvedGroup;
  m?: tf.Variable;
  v?: tf.Variable;
  steps: number;
}

/** A non-trainable float32 variable of zeros shaped like `like` (the initial tensor is freed by tidy). */
function zerosVariable(like: tf.Variable): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros(like.shape, "float32"), false));
}

function variableFrom(values: Float32Array, shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(values, shape, "float32"), false));
}

/**
 * AdamW exactly as `torch.optim.AdamW` (amsgrad off, maximize off): for every
 * parameter with a gradient, `p *= 1 - lr*wd`; `m = b1*m + (1-b1)*g`;
 * `v = b2*v + (1-b2)*g*g`; `denom = sqrt(v)/sqrt(1-b2^t) + eps`;
 * `p += (-lr/(1-b1^t)) * m / denom`, in float32 with the scalars computed in double
 * and rounded to float32 as torch does. The update is made of tensor ops only (no
 * reads), so it runs on every backend including WebGPU; where the backend registers the
 * fused `ADAMW_UPDATE_KERNEL` (wasm with the native addon) it runs that instead, with
 * the same float32 results.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initBackend } from "@wpo/backends";
 * import { AdamW } from "@wpo/optim";
 * await initBackend("cpu");
 * const w = tf.variable(tf.tensor1d([1, -1]), true, "doc_w");
 * const opt = new AdamW([w], { weightDecay: 0 });
 * const grads = { doc_w: tf.tensor1d([0.5, -0.5]) };
 * opt.step(grads, { lr: 0.1 }); // first Adam step moves each weight by lr against the gradient's sign
 * const after = await w.data();
 * console.assert(Math.abs(after[0]! - 0.9) < 1e-6 && Math.abs(after[1]! + 0.9) < 1e-6);
 * opt.dispose();
 * ```
 */
export class AdamW {
  readonly #options: ReturnType<typeof resolveOptions>;
  readonly #slots: Slot[];
  #step = 0;

  /**
   * Creates the optimizer; moment buffers are allocated lazily on a parameter's first update.
   *
   * @param params Parameters by name (a Map such as `model.variables()`, a record, or variables named by `.name`).
   * @param options Hyperparameters, parameter groups, and `noDecayOn1D`.
   * @throws {TypeError} for a non-variable or a duplicate name; {RangeError} for out-of-range hyperparameters.
   */
  constructor(params: NamedVariables, options: AdamWOptions = {}) {
    this.#options = resolveOptions(options);
    this.#slots = variableEntries(params, "AdamW").map(([name, variable]) => ({
      name,
      variable,
      group: groupOf(name, variable, this.#options),
      steps: 0,
    }));
  }

  /** Number of `step` calls made (restored by `loadState`). */
  get stepCount(): number {
    return this.#step;
  }

  /** The weight decay and lr multiplier each parameter got from the groups, by name. */
  get groups(): Record<string, ResolvedGroup> {
    return Object.fromEntries(this.#slots.map((s) => [s.name, { ...s.group }]));
  }

  /**
   * Applies one AdamW update. Gradients are looked up by the parameter's key, then by
   * the variable's name; parameters without a gradient are skipped (torch skips
   * `p.grad is None`). The gradients are not disposed.
   *
   * @param grads Gradients by name (e.g. from `tf.variableGrads`, after clipping/accumulation).
   * @param options The learning rate of this update (default: the constructor's `lr`).
   * @returns Nothing; parameters and moments are updated in place.
   * @throws {TypeError} if a gradient's shape differs from its parameter's; {RangeError} for a negative lr.
   */
  step(grads: NamedGradients, options: AdamWStepOptions = {}): void {
    const lr = options.lr ?? this.#options.lr;
    if (typeof lr !== "number" || !(lr >= 0) || !Number.isFinite(lr)) {
      throw new RangeError(`AdamW.step: lr must be a finite number >= 0, got ${lr}.`);
    }
    const [beta1, beta2] = this.#options.betas;
    const eps = this.#options.eps;
    const work: [Slot, tf.Tensor][] = [];
    for (const slot of this.#slots) {
      const grad = lookupGradient(grads, slot.name, slot.variable);
      if (grad === undefined) continue;
      assertSameShape(slot.variable.shape, grad.shape, `AdamW.step: gradient of '${slot.name}'`);
      work.push([slot, grad]);
    }
    this.#step += 1;
    const fused = this.#options.fusedKernel && fusedAdamWAvailable();
    for (const [slot, grad] of work) {
      slot.m ??= zerosVariable(slot.variable);
      slot.v ??= zerosVariable(slot.variable);
      slot.steps += 1;
      const groupLr = lr * slot.group.lrScale;
      const t = slot.steps;
      const stepSize = groupLr / (1 - beta1 ** t);
      const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
      const decay = 1 - groupLr * slot.group.weightDecay;
      const { m, v, variable } = slot;
      tf.tidy(() => {
        const g = grad.dtype === "float32" ? grad : tf.cast(grad, "float32");
        if (fused && variable.dtype === "float32") {
          const attrs = { decay, beta1, beta2, bc2Sqrt, eps, stepSize };
          const [p1, m1, v1] = fusedAdamWUpdate(variable, g, m, v, attrs);
          m.assign(m1);
          v.assign(v1);
          variable.assign(p1);
          return;
        }
        const param = decay === 1 ? (variable as tf.Tensor) : tf.mul(variable, tf.scalar(decay));
        const m1 = tf.add(tf.mul(m, tf.scalar(beta1)), tf.mul(g, tf.scalar(1 - beta1)));
        const v1 = tf.add(tf.mul(v, tf.scalar(beta2)), tf.mul(tf.mul(g, tf.scalar(1 - beta2)), g));
        const denom = tf.add(tf.div(tf.sqrt(v1), tf.scalar(bc2Sqrt)), tf.scalar(eps));
        const updated = tf.add(param, tf.div(tf.mul(m1, tf.scalar(-stepSize)), denom));
        m.assign(m1);
        v.assign(v1);
        variable.assign(updated);
      });
    }
  }

  /**
   * Reads the optimizer state as plain arrays (async: works on WebGPU), for checkpoints.
   *
   * @returns Step count, per-parameter update counts, and float32 moments by name.
   */
  async state(): Promise<AdamWState> {
    const state: AdamWState = { step: this.#step, paramSteps: {}, m: {}, v: {} };
    for (const slot of this.#slots) {
      if (!slot.m || !slot.v) continue;
      state.paramSteps[slot.name] = slot.steps;
      state.m[slot.name] = Float32Array.from(await slot.m.data());
      state.v[slot.name] = Float32Array.from(await slot.v.data());
    }
    return state;
  }

  /**
   * Restores a state written by {@linkcode AdamW.state}; the next `step` continues
   * bit-exactly where the saved run left off.
   *
   * @param state The saved state.
   * @returns Nothing.
   * @throws {TypeError} for an unknown parameter name or a moment of the wrong size.
   */
  loadState(state: AdamWState): void {
    if (!state || typeof state.step !== "number")
      throw new TypeError("AdamW.loadState: expected { step, paramSteps, m, v }.");
    const byName = new Map(this.#slots.map((s) => [s.name, s]));
    for (const name of Object.keys(state.paramSteps ?? {})) {
      const slot = byName.get(name);
      if (!slot)
        throw new TypeError(
          `AdamW.loadState: the state has parameter '${name}', which this optimizer lacks.`,
        );
      const m = state.m[name];
      const v = state.v[name];
      const size = slot.variable.size;
      if (!m || !v || m.length !== size || v.length !== size) {
        throw new TypeError(
          `AdamW.loadState: moments of '${name}' must have ${size} values (shape [${slot.variable.shape}]), got ${m?.length} and ${v?.length}.`,
        );
      }
    }
    this.#disposeMoments();
    this.#step = state.step;
    for (const slot of this.#slots) {
      const steps = state.paramSteps[slot.name];
      if (steps === undefined) continue;
      slot.steps = steps;
      slot.m = variableFrom(state.m[slot.name]!, slot.variable.shape);
      slot.v = variableFrom(state.v[slot.name]!, slot.variable.shape);
    }
  }

  /**
   * Frees the moment buffers (the parameters belong to the caller).
   *
   * @returns Nothing.
   */
  dispose(): void {
    this.#disposeMoments();
  }

  #disposeMoments(): void {
    for (const slot of this.#slots) {
      slot.m?.dispose();
      slot.v?.dispose();
      slot.m = undefined;
      slot.v = undefined;
      slot.steps = 0;
    }
  }
}
