import { Then, When } from "@cucumber/cucumber";
import { runSettings } from "../harness/properties/fresh-world.ts";
import { lifecycleAgainstTarget } from "../harness/properties/lifecycle-model.ts";
import { selectionLawsAgainstTarget } from "../harness/properties/selection-against-target.ts";
import type { SrkitWorld } from "./support/world.ts";

type W = SrkitWorld & { propertyRuns?: number };

When(
  "random recovery point histories are built on the target, drilled and failed over {int} times",
  async function (this: W, runs: number) {
    this.propertyRuns = await selectionLawsAgainstTarget(this.driver, runSettings(runs));
  },
);
When(
  "random sequences of lifecycle commands run against the target {int} times",
  async function (this: W, runs: number) {
    this.propertyRuns = await lifecycleAgainstTarget(this.driver, runSettings(runs));
  },
);
When(
  "random sequences of lifecycle commands, failback included, run against the target {int} times",
  async function (this: W, runs: number) {
    this.propertyRuns = await lifecycleAgainstTarget(this.driver, runSettings(runs), true);
  },
);
Then("every choice of the target obeyed every law of recovery point selection", function (this: W) {
  if (!this.propertyRuns) throw new Error("the property ran no case");
  this.attach(`${this.propertyRuns} random histories checked`);
});
Then("the target agreed with the lifecycle model after every command", function (this: W) {
  if (!this.propertyRuns) throw new Error("the property ran no case");
  this.attach(`${this.propertyRuns} random command sequences checked`);
});
