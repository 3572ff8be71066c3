import { lossSuite } from "./_test_helpers.ts";
import { sigmoidNormLoss } from "./sigmoid_norm.ts";

lossSuite(sigmoidNormLoss, { tieValue: () => Math.LN2 });
