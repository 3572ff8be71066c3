import { lossSuite } from "../../test/loss_suite.ts";
import { ncaPairLoss } from "./nca_pair.ts";

lossSuite(ncaPairLoss, { tieValue: () => 2 * Math.LN2 });
