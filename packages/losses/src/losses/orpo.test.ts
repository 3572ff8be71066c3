import { lossSuite } from "../../test/loss_suite.ts";
import { orpoLoss } from "./orpo.ts";

lossSuite(orpoLoss, { tieValue: (nll) => nll + 0.1 * Math.LN2 });
