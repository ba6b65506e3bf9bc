/**
 * Benchmark 5: the CLI end to end (`cdk8s-tke-loopback check big.yaml`, process start included) against
 * `node -e` reading and parsing the same file with the yaml package.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareCommands, ratioFigure, writeResults } from './harness';
import { manifestYaml } from './manifest-set';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'cdk8s-tke-loopback');
if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
  throw new Error('lib/ is missing: run `npx projen compile` first (`npm run bench` does)');
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-bench-'));
const file = path.join(dir, 'big.yaml');
fs.writeFileSync(file, manifestYaml(10_000));

const readAndParse = `require('yaml').parseAllDocuments(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`;
const r = compareCommands([process.execPath, BIN, 'check', file], [process.execPath, '-e', readAndParse], { cwd: ROOT });
fs.rmSync(dir, { recursive: true, force: true });

writeResults('cli', [
  ratioFigure('cli: `cdk8s-tke-loopback check big.yaml` / `node -e` read + parse, 10,000 objects', r.candidateMs, r.baselineMs, 'ms', 1.5),
]);
