/** What mulberry32 adds to its state on every draw. */
const STEP = 0x6d2b79f5;

/** Serialisable state of a {@linkcode SeededRng}: one unsigned 32-bit word. */
export interface RngState {
  /** The generator's internal word (uint32). */
  s: number;
}

/**
 * A small seeded pseudo-random generator (mulberry32) whose whole state is one
 * number, so a checkpoint can save it and a resumed run continues the same stream.
 *
 * @example
 * ```ts
 * import { SeededRng } from "@wpo/random";
 * const a = new SeededRng(42);
 * a.next();
 * const b = SeededRng.fromState(a.state());
 * console.assert(a.next() === b.next());
 * ```
 */
export class SeededRng {
  #s: number;

  /**
   * Creates a generator from an integer seed.
   *
   * @param seed Any finite number; it is reduced to 32 bits.
   */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`SeededRng: seed must be a finite number, got ${seed}.`);
    this.#s = Math.trunc(seed) >>> 0;
  }

  /**
   * Restores a generator saved with {@linkcode SeededRng.state}.
   *
   * @param state A saved state.
   * @returns A generator that continues the saved stream.
   * @example
   * ```ts
   * import { SeededRng } from "@wpo/random";
   * console.assert(SeededRng.fromState({ s: 7 }).state().s === 7);
   * ```
   */
  static fromState(state: RngState): SeededRng {
    if (typeof state?.s !== "number" || !Number.isInteger(state.s) || state.s < 0 || state.s > 0xffffffff) {
      throw new TypeError(`SeededRng.fromState: expected { s: uint32 }, got ${JSON.stringify(state)}.`);
    }
    const rng = new SeededRng(0);
    rng.#s = state.s;
    return rng;
  }

  /**
   * The next unsigned 32-bit integer.
   *
   * @returns An integer in [0, 2^32).
   * @example
   * ```ts
   * import { SeededRng } from "@wpo/random";
   * console.assert(new SeededRng(1).nextUint32() === new SeededRng(1).nextUint32());
   * ```
   */
  nextUint32(): number {
    this.#s = (this.#s + STEP) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /**
   * The next float in [0, 1).
   *
   * @returns A uniform float in [0, 1).
   * @example
   * ```ts
   * import { SeededRng } from "@wpo/random";
   * const x = new SeededRng(3).next();
   * console.assert(x >= 0 && x < 1);
   * ```
   */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * Skips `draws` values at once (mulberry32's state moves by a constant per draw), so that a stream can be cut
   * into pieces generated independently, e.g. one per tensor of a checkpoint written piece by piece.
   *
   * @param draws Values to skip (integer >= 0; taken modulo 2^32).
   * @returns This generator, moved on.
   * @throws {RangeError} for a negative or fractional count.
   * @example
   * ```ts
   * import { SeededRng } from "@wpo/random";
   * const a = new SeededRng(9);
   * a.next();
   * a.next();
   * console.assert(new SeededRng(9).jump(2).next() === a.next());
   * ```
   */
  jump(draws: number): this {
    if (!Number.isInteger(draws) || draws < 0)
      throw new RangeError(`SeededRng.jump: draws must be an integer >= 0, got ${draws}.`);
    this.#s = (this.#s + Math.imul(draws % 2 ** 32, STEP)) >>> 0;
    return this;
  }

  /**
   * This generator as a plain function returning floats in [0, 1) (it advances this generator).
   *
   * @returns `() => this.next()`.
   * @example
   * ```ts
   * import { SeededRng } from "@wpo/random";
   * const draw = new SeededRng(3).asFunction();
   * console.assert(draw() === new SeededRng(3).next());
   * ```
   */
  asFunction(): () => number {
    return () => this.next();
  }

  /**
   * A copy of the current state, for checkpoints.
   *
   * @returns The state; pass it to {@linkcode SeededRng.fromState}.
   * @example
   * ```ts
   * import { SeededRng } from "@wpo/random";
   * console.assert(typeof new SeededRng(5).state().s === "number");
   * ```
   */
  state(): RngState {
    return { s: this.#s };
  }
}
