/**
 * The CLI on real-world input: partial failures, empty input, unreadable and endless inputs, output that cannot
 * be written, encodings, control characters, reused CLBs, the proxy mode and Corefile positions. Most tests run
 * the real binary; the I/O seam of `runCli` is used where a process cannot show the case (a failing writer).
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BIN, REPO_ROOT, requireCompiledLib, runBin } from './cli-helpers';
import { EXISTED_LB, privateIngress, privateService, service } from './manifests';
import { runCli } from '../../src/checks/cli';

beforeAll(() => requireCompiledLib());

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tke-cli-'));
  fs.chmodSync(dir, 0o755);
});
afterEach(() => {
  for (const p of walk(dir)) fs.chmodSync(p, 0o755);
  fs.rmSync(dir, { recursive: true, force: true });
});

function walk(d: string): string[] {
  const out = [d];
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const full = path.join(d, e.name);
    if (e.isDirectory()) {
      fs.chmodSync(full, 0o755);
      out.push(...walk(full));
    }
  }
  return out;
}

/** Writes `objects` as a multi-document YAML file under the temp dir and returns its path. */
function write(name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function yaml(...objects: any[]): string {
  return objects.map((o) => `---\n${JSON.stringify(o)}\n`).join('');
}

const UNPROTECTED = yaml(privateService({ name: 'web', namespace: 'shop' }));
const TEMPLATE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  type: LoadBalancer\n';

describe('partial failures', () => {
  test('an unrendered template in a directory: every other file is checked and reported, the template is named, exit 2', () => {
    write('chart/templates/svc.yaml', TEMPLATE);
    write('rendered/web.yaml', UNPROTECTED);

    const text = runBin(['check', dir], { cwd: dir });
    const json = runBin(['check', '--format', 'json', dir], { cwd: dir });
    const sarif = runBin(['check', '--format', 'sarif', dir], { cwd: dir });

    const templateAt = `${path.join(dir, 'chart/templates/svc.yaml')}:4:9`;
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`${path.join(dir, 'rendered/web.yaml')}:2: error TKE-L4-001 Service shop/web`);
    expect(text.stdout).toContain(`${templateAt}: error: looks like an unrendered Helm/Go template; render it first (\`helm template ... | cdk8s-tke-loopback check -\`)\n`);
    expect(text.stderr).toBe(`cdk8s-tke-loopback: ${templateAt}: looks like an unrendered Helm/Go template; render it first (\`helm template ... | cdk8s-tke-loopback check -\`)\n`);

    expect(json.code).toBe(2);
    const out = JSON.parse(json.stdout);
    expect(out.findings.map((f: any) => f.ruleId)).toEqual(['TKE-L4-001']);
    expect(out.errors).toEqual([{ file: path.join(dir, 'chart/templates/svc.yaml'), line: 4, column: 9, message: expect.stringMatching(/unrendered Helm\/Go template/) }]);

    expect(sarif.code).toBe(2);
    const run = JSON.parse(sarif.stdout).runs[0];
    expect(run.results.map((r: any) => r.ruleId)).toEqual(['TKE-L4-001']);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0]).toEqual({
      level: 'error',
      message: { text: expect.stringMatching(/unrendered Helm\/Go template/) },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'chart/templates/svc.yaml' }, region: { startLine: 4, startColumn: 9 } } }],
    });
  });

  test('an unreadable subdirectory (chmod 000, as a non-root user): exit 2 naming it, the rest checked, no stack trace', () => {
    write('ok/web.yaml', UNPROTECTED);
    write('locked/hidden.yaml', UNPROTECTED);
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    for (const p of [dir, path.join(dir, 'ok')]) fs.chmodSync(p, 0o755);
    fs.chmodSync(path.join(dir, 'ok', 'web.yaml'), 0o644);

    // root reads any directory: run the binary as nobody (setpriv) when this test runs as root.
    const asRoot = process.getuid?.() === 0;
    const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));
    if (asRoot && !setpriv) {
      console.warn('skipped: running as root and setpriv is not installed, so no non-root user can be used');
      return;
    }
    const command = asRoot ? [setpriv!, '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN] : [process.execPath, BIN];
    const r = spawnSync(command[0], [...command.slice(1), 'check', dir], { cwd: REPO_ROOT, encoding: 'utf-8' });

    expect(r.status).toBe(2);
    expect(r.stdout).toContain(`${path.join(dir, 'ok/web.yaml')}:2: error TKE-L4-001`);
    expect(r.stdout).toContain(`${path.join(dir, 'locked')}: error: cannot read directory: permission denied\n`);
    expect(r.stderr).toBe(`cdk8s-tke-loopback: ${path.join(dir, 'locked')}: cannot read directory: permission denied\n`);
  });
});

describe('nothing checked is not a pass', () => {
  test.each([
    ['an empty directory', () => ['check', dir], '', /^cdk8s-tke-loopback: nothing was checked: no manifest files \(\*\.yaml, \*\.yml, \*\.json\) found in /],
    ['empty standard input', () => ['check', '-'], '', /^cdk8s-tke-loopback: nothing was checked: no Kubernetes object \(a document with apiVersion and kind\) in <stdin>\./],
    ['input without a Kubernetes object', () => ['check', write('notes.yaml', 'just: data\n')], '', /nothing was checked: no Kubernetes object .* in .*notes\.yaml/],
    ['only directories of other files', () => (write('README.md', '# x\n'), ['check', dir]), '', /nothing was checked: no manifest files/],
  ])('%s: exit 2 with a clear message; --allow-empty makes it exit 0', (_, args, input, message) => {
    const r = runBin(args(), { input });
    const allowed = runBin(['--allow-empty', ...args()].slice(0, 0).concat(['check', '--allow-empty', ...args().slice(1)]), { input });

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('pass --allow-empty if it is expected');
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toBe('');
  });
});

describe('inputs and outputs that never end or cannot be written', () => {
  test('/dev/zero is refused past the input limit (it would read forever), exit 2', () => {
    const r = runBin(['check', '--max-input-mb', '1', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('cdk8s-tke-loopback: /dev/zero: larger than the input limit of 1 MiB; split it, or raise the limit (--max-input-mb)\n');
  });

  test('standard input past the limit is refused, exit 2', () => {
    const r = runBin(['check', '--max-input-mb', '1', '-'], { input: `# ${'x'.repeat(1024 * 1024 + 10)}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cdk8s-tke-loopback: <stdin>: larger than the input limit of 1 MiB/);
  });

  test('a full standard output (> /dev/full): a short message and exit 2, also on clean input', () => {
    const clean = write('clean.yaml', yaml(service({ type: 'ClusterIP' })));
    const fd = fs.openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'check', clean], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf-8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('cdk8s-tke-loopback: cannot write the report to standard output (no space left on device)\n');
    } finally {
      fs.closeSync(fd);
    }
  });

  test('standard output closed by the reader (... | head -c 1): a short message and exit 2', async () => {
    const many = write('many.yaml', yaml(...Array.from({ length: 3_000 }, (_, i) => privateService({ name: `s${i}` }))));
    const child = spawn(process.execPath, [BIN, 'check', many], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toBe('cdk8s-tke-loopback: cannot write the report to standard output (it was closed)\n');
  });

  test('in process: a writer that fails makes runCli return 2 with a short message', async () => {
    const file = write('clean.yaml', yaml(service({ type: 'ClusterIP' })));
    const err: string[] = [];
    const code = await runCli(['check', file], {
      out: () => {
        throw Object.assign(new Error('write ENOSPC'), { code: 'ENOSPC' });
      },
      err: (t) => err.push(t),
      readStdin: async () => '',
    });
    expect(code).toBe(2);
    expect(err).toEqual(['cdk8s-tke-loopback: cannot write the report to standard output (no space left on device)\n']);
  });
});

describe('encodings and control characters', () => {
  test.each([
    ['UTF-16 LE with BOM', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')])],
    ['UTF-16 BE with BOM', (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()])],
    ['UTF-8 with BOM', (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)])],
  ])('a %s manifest with a private Service is decoded and its finding reported (file and standard input)', (_, encode) => {
    const bytes = encode('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    service.kubernetes.io/qcloud-loadbalancer-internal-subnetid: subnet-abcd1234\nspec:\n  type: LoadBalancer\n');
    const file = write('svc.yaml', bytes);

    const r = runBin(['check', file]);
    const fromStdin = spawnSync(process.execPath, [BIN, 'check', '-'], { input: bytes, encoding: 'utf-8' });

    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/svc\.yaml:1: error TKE-L4-001 Service web /);
    expect(r.stdout).toMatch(/1 object checked in 1 file/);
    expect(fromStdin.status).toBe(1);
    expect(fromStdin.stdout).toMatch(/^<stdin>:1: error TKE-L4-001 Service web /);
  });

  test('ANSI escapes and other control characters in names and messages are escaped in text output', () => {
    const file = write('evil.yaml', yaml(privateService({ name: 'web\u001b[2J\u001b[31m', namespace: 'shop\u0007' })));
    const r = runBin(['check', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stdout).toContain('Service shop\\x07/web\\x1b[2J\\x1b[31m');
  });
});

describe('CLB declarations, proxy mode and Corefile positions', () => {
  const reused = yaml(service({ name: 'dubbo', namespace: 'shop', annotations: { [EXISTED_LB]: 'lb-6swtxdba' } }));

  test('a reused CLB warns by default; --private-clb makes the L4 rules judge it; --public-clb silences it', () => {
    const file = write('dubbo.yaml', reused);

    const plain = runBin(['check', file]);
    const priv = runBin(['check', '--private-clb', 'lb-other001,lb-6swtxdba', file]);
    const pub = runBin(['check', '--public-clb=lb-6swtxdba', file]);

    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/warning TKE-CLB-001 Service shop\/dubbo is a LoadBalancer Service that reuses the existing CLB lb-6swtxdba/);
    expect(priv.code).toBe(1);
    expect(priv.stdout).toMatch(/error TKE-L4-001 Service shop\/dubbo/);
    expect(priv.stdout).not.toMatch(/TKE-CLB-001/);
    expect(pub.code).toBe(0);
    expect(pub.stdout).toMatch(/: 0 errors, 0 warnings, 0 suppressed: passed/);
  });

  test.each([
    [['--private-clb', 'subnet-1'], '--private-clb takes CLB ids like lb-abcd1234 (lb- and 8 lowercase letters or digits), separated by commas, got "subnet-1"'],
    [['--private-clb', 'lb-abcd1234,LB-ABCD1234'], '--private-clb takes CLB ids like lb-abcd1234 (lb- and 8 lowercase letters or digits), separated by commas, got "LB-ABCD1234"'],
    [['--public-clb', 'lb-abc'], '--public-clb takes CLB ids like lb-abcd1234 (lb- and 8 lowercase letters or digits), separated by commas, got "lb-abc"'],
    [['--private-clb', 'lb-aaaa1111', '--public-clb', 'lb-aaaa1111'], 'CLB lb-aaaa1111 is given to both --private-clb and --public-clb'],
    [['--proxy-mode', 'nftables'], '--proxy-mode must be ipvs or iptables, got "nftables"'],
    [['--max-input-mb', '0'], '--max-input-mb must be a whole number of MiB (1 or more), got "0"'],
  ])('usage error for %j', (args, message) => {
    const r = runBin(['check', ...args, 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`cdk8s-tke-loopback: ${message}`);
  });

  test('--proxy-mode iptables: the L4 rules do not fire, and the output says why', () => {
    const file = write('web.yaml', UNPROTECTED);
    const r = runBin(['check', '--proxy-mode', 'iptables', file]);
    const json = runBin(['check', '--format', 'json', '--proxy-mode', 'iptables', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^note: layer-4 rules TKE-L4-001, TKE-L4-002, TKE-L4-003 did not run: kube-proxy is in iptables mode/m);
    expect(JSON.parse(json.stdout).notes).toEqual([expect.stringMatching(/^layer-4 rules .* did not run/)]);
  });

  test('a Corefile finding points at the line of the rewrite in the file (text, JSON, SARIF)', () => {
    const corefile = '.:53 {\n    errors\n    rewrite name roc.oa.com server.example.com\n    kubernetes cluster.local\n}\n';
    const text = [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: coredns', '  namespace: kube-system', 'data:', '  Corefile: |',
      ...corefile.trimEnd().split('\n').map((l) => `    ${l}`),
      '---', JSON.stringify(privateIngress({ name: 'portal', hosts: ['roc.oa.com'], annotations: { 'cdk8s-tke-loopback/suppress': 'TKE-L7-001=keepalive is set by hand in the console' } })),
      '',
    ].join('\n');
    const file = write('coredns.yaml', text);
    const rewriteLine = text.split('\n').findIndex((l) => l.includes('rewrite name')) + 1;
    expect(rewriteLine).toBe(10);

    const t = runBin(['check', file], { cwd: dir });
    const j = JSON.parse(runBin(['check', '--format', 'json', file], { cwd: dir }).stdout);
    const s = JSON.parse(runBin(['check', '--format', 'sarif', file], { cwd: dir }).stdout);

    expect(t.stdout).toMatch(new RegExp(`coredns\\.yaml:${rewriteLine}: error TKE-DNS-001 `));
    expect(j.findings.filter((f: any) => f.ruleId === 'TKE-DNS-001').map((f: any) => f.line)).toEqual([rewriteLine]);
    expect(s.runs[0].results.filter((r: any) => r.ruleId === 'TKE-DNS-001').map((r: any) => r.locations[0].physicalLocation.region.startLine)).toEqual([rewriteLine]);
  });
});

describe('alias expansion', () => {
  test('a List of many aliases of one Service with many labels is refused quickly, exit 2', () => {
    const labels = Array.from({ length: 20_000 }, (_, i) => `        l${i}: v`).join('\n');
    const text = ['apiVersion: v1', 'kind: List', 'items:', '  - &svc', '    apiVersion: v1', '    kind: Service', '    metadata:', '      name: web',
      '      labels:', labels, ...Array.from({ length: 999 }, () => '  - *svc'), ''].join('\n');
    const file = write('bomb.yaml', text);
    const started = Date.now();
    const r = runBin(['check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bomb\.yaml:1: its aliases expand to more than 100000 nodes/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
