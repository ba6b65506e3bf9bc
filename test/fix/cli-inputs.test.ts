/**
 * `fix` on the inputs the checker reads (encodings, size bound, templates, several bad files) and with the
 * checker's options (CLB declarations, proxy mode), on the command line and in a KRM functionConfig. Run in
 * process through `runCli`'s I/O seam; standard input is given as bytes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../src/checks/cli';

const SUBNET = 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid';
const PREVENT = 'service.cloud.tencent.com/prevent-loopback';

const SERVICE = `# a private Service
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    ${SUBNET}: subnet-abcd1234
spec:
  type: LoadBalancer
`;
const FIXED = SERVICE.replace('subnet-abcd1234\n', `subnet-abcd1234\n    ${PREVENT}: "true"\n`);
const REUSED = `apiVersion: v1
kind: Service
metadata:
  name: dubbo
  annotations:
    service.kubernetes.io/tke-existed-lbid: lb-abcd1234
spec:
  type: LoadBalancer
`;

async function run(args: string[], stdin: string | Buffer = '', cwd?: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['fix', ...args], {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    readStdin: async () => stdin,
    ...(cwd ? { cwd } : {}),
  });
  return { code, stdout, stderr };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tke-fix-in-'));
}

function utf16be(text: string, bom: boolean): Buffer {
  const b = Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
  b.swap16();
  return b;
}

describe('encodings', () => {
  test.each([
    ['UTF-16 LE with a byte order mark', (t: string) => Buffer.from(`\ufeff${t}`, 'utf16le')],
    ['UTF-16 BE with a byte order mark', (t: string) => utf16be(t, true)],
    ['UTF-16 LE without one', (t: string) => Buffer.from(t, 'utf16le')],
    ['UTF-8 with a byte order mark', (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)])],
  ])('GIVEN a %s file WHEN fixed in place THEN it is written back in the same encoding, fixed', async (_name, encode) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'svc.yaml'), encode(SERVICE));
    fs.writeFileSync(path.join(dir, 'same.yaml'), encode('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'));
    const r = await run(['--in-place', 'svc.yaml', 'same.yaml'], '', dir);
    expect(r.stderr).toMatch(/1 change\(s\), 0 risk\(s\) not fixed/);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'svc.yaml')).equals(encode(FIXED))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'same.yaml')).equals(encode('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'))).toBe(true);
  });

  test('GIVEN UTF-16 on standard input THEN standard output is UTF-8 (what Helm and kubectl read)', async () => {
    const r = await run(['-'], Buffer.from(`\ufeff${SERVICE}`, 'utf16le'));
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual(FIXED);
  });

  test('GIVEN a UTF-8 byte order mark on standard input THEN it stays', async () => {
    const r = await run(['-'], Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SERVICE)]));
    expect(r.stdout).toEqual(`\ufeff${FIXED}`);
  });

  test('GIVEN a Latin-1 file (not UTF-8) THEN exit 2 naming it, nothing written, empty stdout', async () => {
    const dir = tempDir();
    const latin1 = Buffer.from(SERVICE.replace('# a private Service', '# caf\u00e9'), 'latin1');
    fs.writeFileSync(path.join(dir, 'svc.yaml'), latin1);
    const r = await run(['--in-place', 'svc.yaml'], '', dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual('');
    expect(r.stderr).toMatch(/svc\.yaml: is not UTF-8 or UTF-16 text .*convert it to UTF-8/);
    expect(fs.readFileSync(path.join(dir, 'svc.yaml')).equals(latin1)).toBe(true);
  });
});

describe('bad inputs: exit 2, every one named, nothing written', () => {
  test('GIVEN a file over --max-input-mb THEN exit 2 naming the limit, and the good file is not written', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), SERVICE);
    fs.writeFileSync(path.join(dir, 'big.yaml'), `# ${'x'.repeat(1024 * 1024 + 10)}\n`);
    const r = await run(['--in-place', '--max-input-mb', '1', 'a.yaml', 'big.yaml'], '', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/big\.yaml: larger than the input limit of 1 MiB/);
    expect(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf-8')).toEqual(SERVICE);
  });

  test('GIVEN standard input over --max-input-mb THEN exit 2 and empty stdout', async () => {
    const r = await run(['--max-input-mb=1', '-'], Buffer.alloc(1024 * 1024 + 1, 0x61));
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual('');
    expect(r.stderr).toMatch(/<stdin>: larger than the input limit of 1 MiB/);
  });

  test('GIVEN a raw Helm template and a syntax error in two files THEN both are named with file:line, and nothing is written', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), SERVICE);
    fs.writeFileSync(path.join(dir, 'b.yaml'), `${SERVICE}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n`);
    fs.writeFileSync(path.join(dir, 'c.yaml'), 'a: [1, 2\n');
    const r = await run(['--in-place', '.'], '', dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual('');
    expect(r.stderr).toMatch(/b\.yaml:14:9: looks like an unrendered Helm\/Go template; render it first/);
    expect(r.stderr).toMatch(/c\.yaml:\d+:\d+: /);
    expect(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf-8')).toEqual(SERVICE);
  });
});

describe('the checker\'s options', () => {
  test('GIVEN --proxy-mode iptables THEN nothing is fixed at layer 4, exit 0, and the report says why', async () => {
    const r = await run(['--proxy-mode', 'iptables', '-'], SERVICE);
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual(SERVICE);
    expect(r.stderr).toMatch(/note: layer-4 rules .* did not run: kube-proxy is in iptables mode/);
    const json = JSON.parse((await run(['--proxy-mode=iptables', '--report', 'json', '-'], SERVICE)).stderr);
    expect(json.notes).toEqual([expect.stringMatching(/iptables mode/)]);
    expect((await run(['--proxy-mode', 'ipvs', '-'], SERVICE)).stdout).toEqual(FIXED);
  });

  test('GIVEN a reused CLB THEN without a declaration TKE-CLB-001 is reported (exit 1); with --private-clb it is fixed', async () => {
    const before = await run(['-'], REUSED);
    expect(before.code).toBe(1);
    expect(before.stdout).toEqual(REUSED);
    expect(before.stderr).toMatch(/not fixed warning \[TKE-CLB-001\] Service dubbo .*\n {4}why: only the CLB console shows/);
    const declared = await run(['--private-clb', 'lb-abcd1234', '-'], REUSED);
    expect(declared.code).toBe(0);
    expect(parseAllDocuments(declared.stdout)[0].toJS().metadata.annotations[PREVENT]).toEqual('true');
    const pub = await run(['--public-clb', 'lb-other001', '--public-clb=lb-abcd1234', '-'], REUSED);
    expect([pub.code, pub.stdout]).toEqual([0, REUSED]);
  });

  test.each([
    [['--private-clb', 'nope'], /--private-clb takes CLB ids like lb-abcd1234 \(lb- and 8 lowercase letters or digits\), separated by commas, got "nope"/],
    [['--private-clb', 'lb-aaaa0001', '--public-clb', 'lb-aaaa0001'], /CLB lb-aaaa0001 is given to both --private-clb and --public-clb/],
    [['--proxy-mode', 'userspace'], /--proxy-mode must be ipvs or iptables, got "userspace"/],
    [['--max-input-mb', 'lots'], /--max-input-mb must be a whole number of MiB/],
    [['--proxy-mode'], /option --proxy-mode needs a value/],
  ])('%p exits 2 with a clear message and empty stdout', async (args, message) => {
    const r = await run([...args, '-'].filter((a, i, all) => !(a === '-' && all[i - 1] === '--proxy-mode')), SERVICE);
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual('');
    expect(r.stderr).toMatch(message);
  });
});

describe('KRM functionConfig', () => {
  const list = (data: string) => `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- ${REUSED.trimEnd().split('\n').join('\n  ')}
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: fix}
  data: {${data}}
`;

  test('GIVEN private-clb in functionConfig THEN the reused CLB is fixed as private', async () => {
    const r = await run([], list('private-clb: "lb-abcd1234"'));
    expect(r.code).toBe(0);
    const out = parseAllDocuments(r.stdout)[0].toJS();
    expect(out.items[0].metadata.annotations[PREVENT]).toEqual('true');
    expect(out.results.map((x: any) => x.tags?.rule)).toEqual(['TKE-L4-001']);
  });

  test('GIVEN a functionConfig spec with privateClbIds: [] THEN nothing is declared, as with the API; with the id THEN it is', async () => {
    const withSpec = (spec: string) => list('').replace(/ {2}apiVersion: v1\n {2}kind: ConfigMap\n {2}metadata: \{name: fix\}\n {2}data: \{\}\n$/,
      `  apiVersion: example.com/v1\n  kind: FixConfig\n  metadata: {name: fix}\n  spec: {${spec}}\n`);
    expect(withSpec('privateClbIds: []')).toContain('kind: FixConfig');
    const empty = await run([], withSpec('privateClbIds: []'));
    const declared = await run([], withSpec('privateClbIds: [lb-abcd1234]'));
    // Undeclared, the reused CLB is TKE-CLB-001's (exit 1, as without the key), not a usage error (exit 2).
    expect(empty.code).toBe(1);
    const emptyOut = parseAllDocuments(empty.stdout)[0].toJS();
    expect(emptyOut.items[0].metadata.annotations[PREVENT]).toBeUndefined();
    expect(emptyOut.results.map((x: any) => x.tags?.rule)).toContain('TKE-CLB-001');
    expect(declared.code).toBe(0);
    expect(parseAllDocuments(declared.stdout)[0].toJS().items[0].metadata.annotations[PREVENT]).toEqual('true');
  });

  test('GIVEN proxy-mode: iptables in functionConfig THEN nothing at layer 4, and an info result says why', async () => {
    const r = await run([], list('private-clb: "lb-abcd1234", proxy-mode: iptables'));
    expect(r.code).toBe(0);
    const out = parseAllDocuments(r.stdout)[0].toJS();
    expect(out.items[0].metadata.annotations[PREVENT]).toBeUndefined();
    expect(out.results).toEqual([{ severity: 'info', message: expect.stringMatching(/iptables mode/) }]);
  });

  test.each([
    ['proxy-mode: userspace', /functionConfig: proxy-mode must be ipvs or iptables, got "userspace"/],
    ['public-clb: "x1"', /functionConfig: public-clb takes CLB ids like lb-abcd1234/],
    ['privateClbIds: "LB-ABCD1234"', /functionConfig: privateClbIds takes CLB ids like lb-abcd1234 \(lb- and 8 lowercase letters or digits\), separated by commas, got "LB-ABCD1234"/],
    ['proxyMode: nft', /functionConfig: proxyMode must be ipvs or iptables, got "nft"/],
    ['constructor: "x"', /functionConfig: unknown option "constructor"; known: rules, l4, pass-to-target, fail-on, private-clb, public-clb, proxy-mode/],
  ])('GIVEN functionConfig %s THEN exit 2 naming it', async (data, message) => {
    const r = await run([], list(data));
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual('');
    expect(r.stderr).toMatch(message);
  });
});
