// `npm run seeds:index`: refresh fixtures/seeds-index.json from the seed documents.
import { writeFileSync } from "node:fs";
import { liveSeedsDirDefault } from "../catalog/gate.ts";
import { buildSeedsIndex, seedsIndexUrl } from "../catalog/seeds-index.ts";

const index = buildSeedsIndex(liveSeedsDirDefault());
writeFileSync(seedsIndexUrl, `${JSON.stringify(index, null, 2)}\n`);
console.log(`indexed ${Object.keys(index.docs).length} seed documents`);
