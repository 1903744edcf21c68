// Where allure-cucumberjs writes the Allure results of a run: the files allure-js's own
// FileSystemWriter writes (each to a temporary name, then renamed into place, so a reader never
// sees half a file), without its fsync of every file. The results are read by srkit once the
// run has ended (run-reports.ts) and are rewritten from the message stream anyway; surviving a
// power cut needs no fsync per scenario. The fsync was about 2.5 s of the ~1,100 files of a
// suite run, taken on cucumber's main thread, which in a parallel run also hands the workers
// their next scenarios (`npm run bench`, the suite section).
// The shape is allure-js-commons's Writer (sdk/reporter), given as formatOptions.writer.
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export class UnsyncedAllureWriter {
  readonly #dir: string;
  #made = false;
  /** @param resultsDir the Allure results folder (created when the first file is written) */
  constructor(resultsDir: string) {
    this.#dir = resultsDir;
  }
  writeResult(result: { uuid: string }): void {
    this.#json(`${result.uuid}-result.json`, result);
  }
  writeGroup(result: { uuid: string }): void {
    this.#json(`${result.uuid}-container.json`, result);
  }
  writeAttachment(distFileName: string, content: Buffer | string): void {
    this.#publish(distFileName, (temp) => writeFileSync(temp, content));
  }
  writeAttachmentFromPath(distFileName: string, from: string): void {
    this.#publish(distFileName, (temp) => copyFileSync(from, temp));
  }
  writeEnvironmentInfo(info: Record<string, string | null | undefined>): void {
    // Java properties (srkit rewrites this file from the run's facts: allure-results.ts).
    const escaped = (text: string) => text.replace(/[\\ :=]/g, (c) => `\\${c}`);
    const lines = Object.entries(info).flatMap(([key, value]) =>
      value === null || value === undefined ? [] : [`${escaped(key)}=${escaped(value)}`],
    );
    this.#publish("environment.properties", (temp) => writeFileSync(temp, lines.join("\n"), "utf8"));
  }
  writeCategoriesDefinitions(categories: unknown[]): void {
    this.#json("categories.json", categories);
  }
  writeGlobals(distFileName: string, info: unknown): void {
    this.#json(distFileName, info);
  }
  #json(name: string, data: unknown): void {
    this.#publish(name, (temp) => writeFileSync(temp, JSON.stringify(data), "utf8"));
  }
  #publish(name: string, write: (temp: string) => void): void {
    if (!this.#made) {
      mkdirSync(this.#dir, { recursive: true });
      this.#made = true;
    }
    const temp = join(this.#dir, `.allure-write-${randomUUID()}.tmp`);
    try {
      write(temp);
      renameSync(temp, join(this.#dir, name));
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }
}
