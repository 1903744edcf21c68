// A stream that takes whatever is written and keeps none of it: the console of a cucumber run
// whose results are read from its messages (control workers, the mutation runner, tests).
import { Writable } from "node:stream";

/** A fresh Writable that discards every chunk. */
export const nowhere = (): Writable =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
