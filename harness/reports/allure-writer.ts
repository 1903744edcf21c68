// Where allure-cucumberjs writes the Allure results of a run: the files allure-js's own
// FileSystemWriter writes (each to a temporary name, then renamed into place, so a reader never
// sees half a file), without its fsync of every file, and off cucumber's main thread. The results
// are read by srkit once the run has ended (run-reports.ts) and are rewritten from the message
// stream anyway (a result missing or cut short is made again from it); surviving a power cut
// needs no fsync per scenario. The fsync was about 2.5 s of the ~1,100 files of a suite run.
// Creating the ~2,600 files of a suite run still took about 1.6 s of kernel time on cucumber's
// main thread, which runs the scenarios of an in-process run and hands a parallel run's workers
// their next ones: the writes now go to libuv's thread pool, on the machine's other core, and the
// process (which cucumber lets end on its own) ends once they are done.
// The shape is allure-js-commons's Writer (sdk/reporter), given as formatOptions.writer.
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export class UnsyncedAllureWriter {
  readonly #dir: string;
  #made = false;
  /** Per file name, its last write: a later write of the same file waits for it. */
  readonly #writing = new Map<string, Promise<void>>();
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
    // A copy: the caller may reuse its buffer once this returns.
    this.#publish(distFileName, typeof content === "string" ? content : Buffer.from(content));
  }
  writeAttachmentFromPath(distFileName: string, from: string): void {
    // At once: the caller may remove its file once this returns.
    const temp = this.#temporary();
    try {
      copyFileSync(from, temp);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    this.#publish(distFileName, undefined, temp);
  }
  writeEnvironmentInfo(info: Record<string, string | null | undefined>): void {
    // Java properties (srkit rewrites this file from the run's facts: allure-results.ts).
    const escaped = (text: string) => text.replace(/[\\ :=]/g, (c) => `\\${c}`);
    const lines = Object.entries(info).flatMap(([key, value]) =>
      value === null || value === undefined ? [] : [`${escaped(key)}=${escaped(value)}`],
    );
    this.#publish("environment.properties", lines.join("\n"));
  }
  writeCategoriesDefinitions(categories: unknown[]): void {
    this.#json("categories.json", categories);
  }
  writeGlobals(distFileName: string, info: unknown): void {
    this.#json(distFileName, info);
  }
  #json(name: string, data: unknown): void {
    // Serialised now: the reporter goes on changing its objects after handing them over.
    this.#publish(name, JSON.stringify(data));
  }

  /** A fresh temporary name in the results folder (made on first use). */
  #temporary(): string {
    if (!this.#made) {
      mkdirSync(this.#dir, { recursive: true });
      this.#made = true;
    }
    return join(this.#dir, `.allure-write-${randomUUID()}.tmp`);
  }

  /** Resolves once every file handed over so far is in place (or its write has failed). */
  async settled(): Promise<void> {
    await Promise.all(this.#writing.values());
  }

  /**
   * Writes `content` (or moves the file already at `written`) to `name`, through a temporary
   * name, after any earlier write of `name`. A failed write removes its temporary file and is
   * told on stderr: the run's reports make that result again from the message stream.
   */
  #publish(name: string, content: string | Buffer | undefined, written?: string): void {
    const temp = written ?? this.#temporary();
    const write = async () => {
      try {
        if (content !== undefined) await writeFile(temp, content);
        await rename(temp, join(this.#dir, name));
      } catch (error) {
        await rm(temp, { force: true });
        process.stderr.write(
          `srkit: the Allure file ${name} could not be written (${(error as Error).message})\n`,
        );
      }
    };
    const done = (this.#writing.get(name) ?? Promise.resolve()).then(write);
    this.#writing.set(name, done);
    void done.then(() => {
      if (this.#writing.get(name) === done) this.#writing.delete(name);
    });
  }
}
