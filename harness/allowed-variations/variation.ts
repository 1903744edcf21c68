// Allowed-variation controls: correct implementations that make another choice the documents
// leave open (declared parameters, identifiers, list orders, extra fields, messages, ...). They
// are the positive twin of the negative controls: every scenario of their families must pass.
import type { Transport } from "../drivers/transport.ts";
import type { Family } from "../protocol/types.ts";

export interface AllowedVariation {
  id: string;
  /** What this correct implementation does differently from the reference. */
  choice: string;
  /** The requirement ids or `doc#section` sources that leave the choice open. */
  permittedBy: string[];
  /**
   * The families whose every scenario must pass against it: all the suite's families if absent,
   * which every variation but those about claims uses, since a choice one family leaves open may
   * upset another family's checks (a parameter is read by scenarios of every family).
   */
  families?: Family[];
  transport(): Transport;
}
