import { lossSuite } from "../../test/loss_suite.ts";
import { apoZeroLoss } from "./apo_zero.ts";

lossSuite(apoZeroLoss, { tieValue: () => 1 });
