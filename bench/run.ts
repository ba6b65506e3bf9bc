/**
 * `npm run bench`: runs every bench/*.bench.ts in its own Node process (with --expose-gc), in order, and leaves all
 * figures in bench/results.json. Usage: ts-node bench/run.ts [name ...] (names without .bench.ts).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const only = process.argv.slice(2);
const files = fs.readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();
if (files.length === 0) {
  console.error(`no benchmarks matched ${only.join(', ')}`);
  process.exit(2);
}
fs.rmSync(path.join(__dirname, 'results.json'), { force: true });
const start = Date.now();
for (const f of files) {
  console.log(`== ${f}`);
  execFileSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', path.join(__dirname, f)], {
    cwd: path.join(__dirname, '..'),
    stdio: 'inherit',
  });
}
console.log(`done in ${((Date.now() - start) / 1000).toFixed(0)} s; figures in bench/results.json`);
