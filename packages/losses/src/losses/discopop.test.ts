import { lossSuite } from "./_test_helpers.ts";
import { discopopLoss } from "./discopop.ts";

lossSuite(discopopLoss, { tieValue: () => 0.5 * (Math.LN2 + 1), marginBetaZ: -1 });
