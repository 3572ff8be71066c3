import { lossSuite } from "./_test_helpers.ts";
import { sigmoidLoss } from "./sigmoid.ts";

lossSuite(sigmoidLoss, { tieValue: () => Math.LN2 });
