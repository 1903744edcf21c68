// The media types of the attachments by which the Before hook says why a scenario was skipped, so
// that the message stream itself tells an unsupported scenario from one the run did not run.
// (A driver's reason for not carrying a scenario has its own: transport.ts notCarriedMediaType.)

/** The target does not declare the scenario's family: the body says which. */
export const unsupportedMediaType = "text/x.srkit-unsupported";
/** The run stopped before the scenario at the user's limit (`--max-failures`): the body says so. */
export const notRunMediaType = "text/x.srkit-not-run";
