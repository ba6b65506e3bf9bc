/**
 * The consumer test: the packed tarball in fresh projects, as a new user installs it.
 *
 * Usage: ts-node --transpile-only scripts/consumer-test.ts [--plus 27,30,33] [--keep] [--break compile|plugin|tarball]
 *
 * For each cdk8s-plus major (27, 30 and 33 by default) it makes an empty npm project in a temp dir and
 * runs the README's quick start there, read from README.md (scripts/readme-blocks.ts):
 *
 * 1. the install commands, with `cdk8s-tke-loopback` replaced by the tarball that `npx projen package:js`
 *    wrote to dist/js/ and `cdk8s-plus-27` by `cdk8s-plus-<major>`;
 * 2. cdk8s.yaml, tsconfig.json and main.ts verbatim (main.ts imports `cdk8s-plus-<major>`);
 * 3. the run commands: `tsc --strict`, `cdk8s synth` (which loads the validation plugin from
 *    ./node_modules/cdk8s-tke-loopback) and `npx cdk8s-tke-loopback check dist`. The `kubectl` line that
 *    saves the live Corefile is replaced by TKE's default Corefile, as no cluster is at hand.
 *
 * It then checks that the validation plugin really ran, and that the objects this library writes
 * (Services, the Ingress, the TkeServiceConfig, the CoreDNS ConfigMap, the workloads' affinity) are the
 * same for every cdk8s-plus major. All projects share the user's npm cache, so only the first install
 * downloads. Exits non-zero on the first failure, printing the command and its output.
 *
 * `--break` injects one fault, to show that the test catches it (see docs/development.md):
 * `compile` adds a type error to main.ts, `plugin` drops the LoopbackValidation export from the packed
 * library, `tarball` packs it without the `bin/cdk8s-tke-loopback` shim.
 */
import { execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ROOT, readQuickStart } from './readme-blocks';

const BREAKS = ['compile', 'plugin', 'tarball'];

interface Options {
  readonly majors: number[];
  readonly keep: boolean;
  readonly fault?: string;
}

function parseArgs(argv: string[]): Options {
  let majors = [27, 30, 33];
  let keep = false;
  let fault: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--plus') {
      majors = (argv[++i] ?? '').split(',').map((v) => Number(v));
      if (majors.some((m) => !Number.isInteger(m) || m < 27 || m > 33)) {
        throw new Error(`--plus must list cdk8s-plus majors from 27 to 33, got ${JSON.stringify(argv[i])}`);
      }
    } else if (arg === '--keep') {
      keep = true;
    } else if (arg === '--break') {
      fault = argv[++i];
      if (!BREAKS.includes(fault ?? '')) throw new Error(`--break must be one of ${BREAKS.join(', ')}, got ${JSON.stringify(fault)}`);
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)}; usage: consumer-test.ts [--plus 27,30,33] [--keep] [--break ${BREAKS.join('|')}]`);
    }
  }
  return { majors, keep, fault };
}

/** The tarball that `npx projen package:js` wrote. */
function findTarball(): string {
  const dir = path.join(ROOT, 'dist', 'js');
  const tarballs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
  if (tarballs.length !== 1) {
    throw new Error(`expected one tarball in ${dir}, found ${JSON.stringify(tarballs)}: run \`npx projen package:js\` first`);
  }
  return path.join(dir, tarballs[0]);
}

const NPM_ENV = {
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  // Every project reuses what the first one put in the npm cache.
  npm_config_prefer_offline: 'true',
};

/** Runs a README command in `cwd`; fails with the command and its output. */
function run(command: string, cwd: string): string {
  const started = Date.now();
  try {
    const out = execSync(command, {
      cwd,
      shell: '/bin/bash',
      encoding: 'utf-8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...NPM_ENV },
      maxBuffer: 64 * 1024 * 1024,
    });
    console.log(`    $ ${command}  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return out;
  } catch (e: any) {
    throw new Error(`\`${command}\` failed in ${cwd} (exit code ${e.status}):\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** A copy of the tarball with one fault (see `--break`). */
function brokenTarball(tarball: string, fault: string, work: string): string {
  const dir = path.join(work, 'broken-tarball');
  fs.mkdirSync(dir, { recursive: true });
  execSync(`tar -xzf ${JSON.stringify(tarball)} -C ${JSON.stringify(dir)}`);
  if (fault === 'tarball') {
    fs.rmSync(path.join(dir, 'package', 'bin', 'cdk8s-tke-loopback'));
  } else {
    const index = path.join(dir, 'package', 'lib', 'checks', 'index.js');
    const text = fs.readFileSync(index, 'utf-8');
    const line = /^.*require\("\.\/validation-plugin"\).*$/m;
    if (!line.test(text)) throw new Error(`${index} does not re-export ./validation-plugin: --break plugin cannot drop it`);
    fs.writeFileSync(index, text.replace(line, ''));
  }
  const out = path.join(work, `broken-${fault}.tgz`);
  execSync(`tar -czf ${JSON.stringify(out)} -C ${JSON.stringify(dir)} package`);
  return out;
}

/** The objects this library writes, by kind/namespace/name, and the affinity of every workload. */
function ourObjects(distDir: string): Map<string, unknown> {
  const objects = new Map<string, unknown>();
  for (const file of fs.readdirSync(distDir).filter((f) => f.endsWith('.k8s.yaml')).sort()) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(distDir, file), 'utf-8'))) {
      const obj = doc.toJS();
      const key = `${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
      if (['Service', 'Ingress', 'TkeServiceConfig', 'ConfigMap'].includes(obj.kind)) {
        objects.set(key, obj);
      } else if (obj.spec?.template?.spec !== undefined) {
        objects.set(`${key} affinity`, obj.spec.template.spec.affinity ?? null);
      }
    }
  }
  return objects;
}

/** Runs the quick start in a fresh project for one cdk8s-plus major. */
function consumer(major: number, tarball: string, work: string, fault: string | undefined): Map<string, unknown> {
  const quick = readQuickStart();
  const plus = `cdk8s-plus-${major}`;
  // Not named like a dependency: npm refuses to install a package into a project of the same name.
  const dir = path.join(work, `app-plus-${major}`);
  fs.mkdirSync(dir, { recursive: true });

  for (const line of quick.install) {
    run(line.replace(/(^|\s)cdk8s-tke-loopback(?=\s|$)/, `$1${tarball}`).replace(/\bcdk8s-plus-27\b/g, plus), dir);
  }
  const installed = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', plus, 'package.json'), 'utf-8')).version;
  console.log(`    ${plus}@${installed}`);

  let mainTs = quick.mainTs.replace(/'cdk8s-plus-27'/g, `'${plus}'`);
  if (fault === 'compile') {
    mainTs += "\n// --break compile: a port number given as a string\nnew tke.LoopbackSafeService(chart, 'broken', { selector: api, ports: [{ port: '80' }] });\n";
  }
  fs.writeFileSync(path.join(dir, 'main.ts'), mainTs);
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), quick.cdk8sYaml);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), quick.tsconfig);

  let synthOutput = '';
  for (const line of quick.run) {
    if (line.startsWith('kubectl ')) {
      // No cluster here: TKE's default Corefile stands in for the live one.
      const target = /> *(\S+)\s*$/.exec(line)?.[1];
      if (!target) throw new Error(`the README's kubectl line does not redirect to a file: ${line}`);
      const corefile = run("node -e \"process.stdout.write(require('cdk8s-tke-loopback').Corefile.tkeDefault().render())\"", dir);
      fs.writeFileSync(path.join(dir, target), corefile);
      continue;
    }
    const out = run(line, dir);
    if (/\bcdk8s synth\b/.test(line)) synthOutput = out;
  }

  const pluginDir = path.join(dir, 'node_modules', 'cdk8s-tke-loopback');
  if (!synthOutput.includes('Validation Report') || !synthOutput.includes(pluginDir)) {
    throw new Error(`\`cdk8s synth\` did not run the validation plugin from ${pluginDir}; its output:\n${synthOutput}`);
  }
  return ourObjects(path.join(dir, 'dist'));
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  let tarball = findTarball();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-loopback-consumer-'));
  console.log(`consumer test: ${path.relative(ROOT, tarball)} with cdk8s-plus ${options.majors.join(', ')} in ${work}`);
  if (options.fault === 'plugin' || options.fault === 'tarball') tarball = brokenTarball(tarball, options.fault, work);
  let failed = false;
  try {
    let first: { major: number; objects: Map<string, unknown> } | undefined;
    for (const major of options.majors) {
      const t = Date.now();
      console.log(`  cdk8s-plus-${major}:`);
      const objects = consumer(major, tarball, work, options.fault);
      if (objects.size === 0) throw new Error(`cdk8s-plus-${major}: the quick start wrote none of this library's objects`);
      if (first === undefined) {
        first = { major, objects };
      } else {
        const keys = new Set([...first.objects.keys(), ...objects.keys()]);
        for (const key of keys) {
          const a = JSON.stringify(first.objects.get(key));
          const b = JSON.stringify(objects.get(key));
          if (a !== b) {
            throw new Error(`${key} differs between cdk8s-plus-${first.major} and cdk8s-plus-${major}:\n  ${a}\n  ${b}`);
          }
        }
      }
      console.log(`  cdk8s-plus-${major}: passed, ${objects.size} objects as with cdk8s-plus-${first.major} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    }
  } catch (e: any) {
    failed = true;
    console.error(`consumer test FAILED${options.fault ? ` (--break ${options.fault})` : ''}: ${e.message}`);
  } finally {
    if (options.keep || failed) {
      console.log(`kept ${work}`);
    } else {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  console.log(`consumer test ${failed ? 'failed' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = failed ? 1 : 0;
}

main();
