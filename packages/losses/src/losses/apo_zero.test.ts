import { lossSuite } from "./_test_helpers.ts";
import { apoZeroLoss } from "./apo_zero.ts";

lossSuite(apoZeroLoss, { tieValue: () => 1 });
