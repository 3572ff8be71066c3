import { lossSuite } from "../../test/loss_suite.ts";
import { hingeLoss } from "./hinge.ts";

lossSuite(hingeLoss, { tieValue: () => 1 });
