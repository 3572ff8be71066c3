import { lossSuite } from "./_test_helpers.ts";
import { ncaPairLoss } from "./nca_pair.ts";

lossSuite(ncaPairLoss, { tieValue: () => 2 * Math.LN2 });
