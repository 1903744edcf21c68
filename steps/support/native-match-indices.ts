// Every cucumber process that loads the steps (srkit run's coordinator and workers, the control
// runner's workers) matches steps with native match indices: same groups, a fraction of the CPU
// (harness/runner/native-match-indices.ts says why).
import { useNativeMatchIndices } from "../../harness/runner/native-match-indices.ts";

useNativeMatchIndices();
