import { lossSuite } from "./_test_helpers.ts";
import { sppoHardLoss } from "./sppo_hard.ts";

lossSuite(sppoHardLoss, { tieValue: () => 1 / (2 * 0.1 * 0.1) });
