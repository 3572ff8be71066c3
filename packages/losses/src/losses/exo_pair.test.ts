import { lossSuite } from "../../test/loss_suite.ts";
import { exoPairLoss } from "./exo_pair.ts";

lossSuite(exoPairLoss, { tieValue: () => -Math.LN2 - 0.5 * Math.log(1e-3 * (1 - 1e-3)) });
