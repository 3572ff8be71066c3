/**
 * The one seeded pseudo-random generator of wpo: mulberry32, whose whole state is one 32-bit word (so a
 * checkpoint can save it), deterministic on every platform; and the seeded Fisher–Yates permutation built on it.
 * Used for random model initialisation and sampling (`@wpo/llama`), the trainer's data order (`@wpo/trainer`)
 * and seeded test inputs. No tensors, no dependencies.
 *
 * @example
 * ```ts
 * import { permutation, SeededRng } from "@wpo/random";
 * const rng = new SeededRng(42);
 * const order = permutation(4, rng.asFunction());
 * console.assert(order.length === 4 && SeededRng.fromState(rng.state()).state().s === rng.state().s);
 * ```
 *
 * @module
 */
export { type RngState, SeededRng } from "./seeded_rng.ts";
export { permutation } from "./permutation.ts";
