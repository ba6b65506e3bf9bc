/**
 * Memory on a large input: the peak resident set of `cdk8s-tke-loopback check` on a 20 MB manifest file,
 * against the size of the file. The reader parses one document at a time and keeps only what the rules read,
 * so the target is a peak under 20x the input (400 MB for 20 MB). The same objects as one `kind: List` (what
 * `kubectl get -o yaml` prints) are read item by item, with the same target.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { ratioFigure, writeResults } from './harness';
import { manifestYaml } from './manifest-set';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'cdk8s-tke-loopback');
if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
  throw new Error('lib/ is missing: run `npx projen compile` first (`npm run bench` does)');
}

/** A manifest text of at least `bytes` bytes, from the benchmark manifest set. */
export function manifestOfSize(bytes: number): string {
  let n = 1_000;
  let text = manifestYaml(n);
  while (Buffer.byteLength(text) < bytes) {
    n = Math.ceil(n * (bytes / Buffer.byteLength(text)) * 1.05);
    text = manifestYaml(n);
  }
  return text;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-bench-mem-'));
const file = path.join(dir, 'big.yaml');
fs.writeFileSync(file, manifestOfSize(20 * 1024 * 1024));
const size = fs.statSync(file).size;
// The same objects as one List document, as kubectl writes it.
const listFile = path.join(dir, 'list.yaml');
fs.writeFileSync(listFile, stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: parseAllDocuments(fs.readFileSync(file, 'utf-8')).map((d) => d.toJS()).filter((o) => o !== null),
}, { indentSeq: false, lineWidth: 0 }));
const listSize = fs.statSync(listFile).size;

// Prints the peak resident set size (bytes) of the process it is preloaded into, when it exits.
const probe = path.join(dir, 'maxrss.js');
fs.writeFileSync(probe, "process.on('exit', () => process.stderr.write('@@maxrss ' + process.resourceUsage().maxRSS * 1024 + '\\n'));\n");

function peakRss(args: string[]): number {
  const r = spawnSync(process.execPath, ['-r', probe, ...args], { cwd: ROOT, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  const m = /@@maxrss (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no peak RSS reported (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
  return Number(m[1]);
}

const check = peakRss([BIN, 'check', '--format', 'json', file]);
const checkList = peakRss([BIN, 'check', '--format', 'json', listFile]);
// The baseline: a Node process that only reads the file, for the runtime's own share.
const read = peakRss(['-e', `require('fs').readFileSync(${JSON.stringify(file)})`]);
fs.rmSync(dir, { recursive: true, force: true });

writeResults('memory-input', [
  ratioFigure(`memory: peak RSS of check on a ${(size / 1024 / 1024).toFixed(1)} MB file / file size`, check / 1024 / 1024, size / 1024 / 1024, 'MB', 20),
  ratioFigure('memory: peak RSS of check / peak RSS of a node process that reads the file', check / 1024 / 1024, read / 1024 / 1024, 'MB'),
  ratioFigure(`memory: peak RSS of check on a ${(listSize / 1024 / 1024).toFixed(1)} MB kind: List / file size`, checkList / 1024 / 1024, listSize / 1024 / 1024, 'MB', 20),
]);
