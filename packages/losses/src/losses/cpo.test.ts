import { lossSuite } from "./_test_helpers.ts";
import { cpoLoss } from "./cpo.ts";

lossSuite(cpoLoss, { tieValue: (nll) => Math.LN2 + nll });
