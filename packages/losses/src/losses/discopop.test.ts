import { lossSuite } from "../../test/loss_suite.ts";
import { discopopLoss } from "./discopop.ts";

lossSuite(discopopLoss, { tieValue: () => 0.5 * (Math.LN2 + 1), marginBetaZ: -1 });
