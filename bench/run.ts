/**
 * `npm run bench`: runs every bench/*.bench.ts in its own Node process (with --expose-gc), at most one per core
 * and never more than two at once, and writes all figures to bench/results.json.
 * Each benchmark alternates its candidate and its baseline inside one process, so both sides see the same machine.
 * Usage: ts-node bench/run.ts [name ...] (names without .bench.ts).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Figure, RESULTS_PREFIX, saveResults } from './harness';

const only = process.argv.slice(2);
const files = fs.readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();
if (files.length === 0) {
  console.error(`no benchmarks matched ${only.join(', ')}`);
  process.exit(2);
}

function runOne(file: string): Promise<{ file: string; output: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--single-threaded-gc', '-r', 'ts-node/register/transpile-only', path.join(__dirname, file)], {
      cwd: path.join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ file, output, code }));
  });
}

async function main(): Promise<number> {
  const start = Date.now();
  const sections: Record<string, Figure[]> = {};
  const queue = [...files];
  let failed = 0;
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const { file, output, code } = await runOne(f);
      console.log(`== ${file}`);
      for (const line of output.split('\n')) {
        if (line.startsWith(RESULTS_PREFIX)) {
          const { section, figures } = JSON.parse(line.slice(RESULTS_PREFIX.length));
          sections[section] = figures;
        } else if (line.trim()) {
          console.log(line);
        }
      }
      if (code !== 0) {
        failed++;
        console.log(`${file} FAILED (exit ${code})`);
      }
    }
  };
  const workers = Math.max(1, Math.min(2, os.cpus().length));
  await Promise.all(Array.from({ length: workers }, worker));
  const seconds = Math.round((Date.now() - start) / 1000);
  const file = saveResults(sections, seconds);
  console.log(`done in ${seconds} s on ${os.cpus().length} cores (${workers} benchmarks at a time); figures in ${path.relative(process.cwd(), file)}`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => (process.exitCode = code), (e) => {
  console.error(e);
  process.exitCode = 1;
});
