import { lossSuite } from "../../test/loss_suite.ts";
import { bcoPairLoss } from "./bco_pair.ts";

lossSuite(bcoPairLoss, { tieValue: () => 2 * Math.LN2 });
