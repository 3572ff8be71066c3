import { lossSuite } from "./_test_helpers.ts";
import { bcoPairLoss } from "./bco_pair.ts";

lossSuite(bcoPairLoss, { tieValue: () => 2 * Math.LN2 });
