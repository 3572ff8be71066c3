import { lossSuite } from "../../test/loss_suite.ts";
import { sppoHardLoss } from "./sppo_hard.ts";

lossSuite(sppoHardLoss, { tieValue: () => 1 / (2 * 0.1 * 0.1) });
