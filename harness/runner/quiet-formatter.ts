// Cucumber's console formatter for srkit runs: it prints nothing. srkit shows progress itself,
// from the message stream (progress.ts), with counts, elapsed time and the running scenario, and
// its own summary; cucumber would otherwise print a line of dots and every failure's stack.
import { Formatter } from "@cucumber/cucumber";

export default class QuietFormatter extends Formatter {
  static override readonly documentation = "prints nothing: srkit reports progress from the message stream";
}
