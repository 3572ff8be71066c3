import { lossSuite } from "./_test_helpers.ts";
import { hingeLoss } from "./hinge.ts";

lossSuite(hingeLoss, { tieValue: () => 1 });
