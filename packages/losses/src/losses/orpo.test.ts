import { lossSuite } from "./_test_helpers.ts";
import { orpoLoss } from "./orpo.ts";

lossSuite(orpoLoss, { tieValue: (nll) => nll + 0.1 * Math.LN2 });
