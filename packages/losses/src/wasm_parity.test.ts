import { backendParitySuite } from "../test/backend_parity.ts";

// The cpu backend is the exactness baseline of the other tests; the same PyTorch fixtures on wasm.
backendParitySuite("wasm");
