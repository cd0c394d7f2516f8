/** Regenerates the kept hostile corpus in files/: `npx tsx test/security/hostile/make.ts`. */
import path from 'node:path';
import { writeCorpus } from './corpus';

void writeCorpus(path.join(__dirname, 'files')).then((n) => process.stdout.write(`wrote ${n} files\n`));
