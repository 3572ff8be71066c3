import { lossSuite } from "../../test/loss_suite.ts";
import { cpoLoss } from "./cpo.ts";

lossSuite(cpoLoss, { tieValue: (nll) => Math.LN2 + nll });
