import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { CCE, ENV_DOMAIN, NO_BRACES, OPENSHIFT } from './fixtures';
import { Corefile, CoreDnsRewrite, RewriteRule } from '../../src';

const exact = (from: string, to: string) => RewriteRule.of(from, to);

describe('Corefile input as CoreDNS reads it (coredns/caddy lexer.go, parse.go)', () => {
  test('a quoted "{" and "}" are braces, as caddy compares the unquoted text', () => {
    // GIVEN
    const text = '.:53 "{"\n    health "{"\n        lameduck 5s\n    "}"\n    kubernetes cluster.local\n"}"\n';
    // WHEN
    const corefile = Corefile.parse(text);
    // THEN
    expect(corefile.mainServerBlock.directives.map((d) => d.name)).toEqual(['health', 'kubernetes']);
    expect(corefile.mainServerBlock.directive('health')!.subdirectives.map((d) => [d.name, d.args])).toEqual([['lameduck', ['5s']]]);
    expect(corefile.render()).toEqual(text);
  });

  test('a server block without braces runs to the end of the file, and rewrites go before kubernetes', () => {
    const corefile = Corefile.parse(NO_BRACES);
    expect(corefile.serverBlocks.map((b) => [b.keys, b.directives.map((d) => d.name)]))
      .toEqual([[['.:53'], ['errors', 'kubernetes', 'forward', 'cache']]]);
    expect(corefile.withRewrites([exact('roc.oa.com', 'server.prod.svc.cluster.local')]).render())
      .toEqual(NO_BRACES.replace('kubernetes', 'rewrite name exact roc.oa.com server.prod.svc.cluster.local\nkubernetes'));
  });

  test('two server blocks for the same zone and port are refused, as CoreDNS refuses them', () => {
    expect(() => Corefile.parse('.:53 {\n    kubernetes cluster.local\n}\ndns://.:53 {\n    whoami\n}\n'))
      .toThrow('Corefile line 4: the server block key "dns://.:53" is already served by the block at line 1; CoreDNS refuses to start ("cannot serve dns://.:53 - it is already defined"): merge the two blocks');
    // Different ports, and different transports, are different servers.
    expect(Corefile.parse('.:53 {\n    kubernetes cluster.local\n}\n.:5353 {\n}\ntls://.:53 {\n}\n').serverBlocks.length).toEqual(3);
  });

  test('OpenShift: "." on port 5353 holding kubernetes is the main block among several', () => {
    const corefile = Corefile.parse(OPENSHIFT);
    expect(corefile.serverBlocks.map((b) => b.keys)).toEqual([['corp.example.com:5353'], ['.:5353'], ['hostname.bind:5353']]);
    expect(corefile.mainServerBlock.line).toEqual(16);
  });

  test('environment variables are kept as written: {$POD_IP} and {$CLUSTER_DOMAIN}', () => {
    expect(Corefile.parse(CCE).mainServerBlock.directive('bind')!.args).toEqual(['{$POD_IP}']);
    // GIVEN a kubernetes zone CoreDNS substitutes at startup
    const chart = Testing.chart();
    const dns = new CoreDnsRewrite(chart, 'dns', { corefile: Corefile.parse(ENV_DOMAIN) });
    // WHEN
    dns.rewriteName('roc.oa.com', 'server.prod.svc.cluster.local');
    // THEN
    expect(dns.renderCorefile()).toEqual(ENV_DOMAIN.replace('    kubernetes', '    rewrite name exact roc.oa.com server.prod.svc.cluster.local\n    kubernetes'));
  });

  test('a Corefile nested 20,000 levels deep gets an error with a line number, not a stack overflow', () => {
    const depth = 20_000;
    const text = `.:53 {\n${'a {\n'.repeat(depth)}${'}\n'.repeat(depth)}}\n`;
    expect(() => Corefile.parse(text)).toThrow(/^Corefile line 102: blocks nest more than 100 levels deep/);
  });

  test('nesting up to the limit parses', () => {
    const depth = 99;
    const text = `.:53 {\n    kubernetes cluster.local\n${'a {\n'.repeat(depth)}${'}\n'.repeat(depth)}}\n`;
    expect(Corefile.parse(text).render()).toEqual(text);
  });
});

describe('Corefile encodings', () => {
  const text = '.:53 {\r\n    kubernetes cluster.local\r\n}\r\n';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corefile-'));
  const write = (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['UTF-16 LE with a BOM (Windows PowerShell 5.1 ">")', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ['UTF-8', Buffer.from(text, 'utf8')],
  ])('fromFile decodes %s', (_name, bytes) => {
    const corefile = Corefile.fromFile(write('corefile.txt', bytes));
    expect(corefile.render()).toEqual(text);
    expect(corefile.mainServerBlock.directive('kubernetes')!.args).toEqual(['cluster.local']);
  });

  test('UTF-32 with a BOM is refused, naming the encoding (not decoded as UTF-16 and then blamed on parse())', () => {
    const utf32le = Buffer.alloc(4 + text.length * 4);
    utf32le.writeUInt32LE(0xfeff, 0);
    [...text].forEach((c, k) => utf32le.writeUInt32LE(c.codePointAt(0)!, 4 + 4 * k));
    const utf32be = Buffer.alloc(4 + text.length * 4);
    utf32be.writeUInt32BE(0xfeff, 0);
    [...text].forEach((c, k) => utf32be.writeUInt32BE(c.codePointAt(0)!, 4 + 4 * k));
    for (const [name, bytes] of [['le.txt', utf32le], ['be.txt', utf32be]] as const) {
      const file = write(name, bytes);
      expect(() => Corefile.fromFile(file)).toThrow(`Corefile ${JSON.stringify(file)} is UTF-32 (it starts with a UTF-32 byte order mark), which CoreDNS cannot read either; save it as UTF-8`);
    }
  });

  test('UTF-16 without a BOM is refused, naming the encoding', () => {
    const file = write('nobom.txt', Buffer.from(text, 'utf16le'));
    expect(() => Corefile.fromFile(file)).toThrow(/holds NUL bytes: it looks like UTF-16 without a byte order mark/);
  });

  test('parse() of UTF-16 read as UTF-8 is refused, naming the encoding', () => {
    const misread = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]).toString('utf8');
    expect(() => Corefile.parse(misread)).toThrow(/^Corefile line 1: the text holds NUL characters, so it is most likely UTF-16/);
  });

  test('parse() skips a leading BOM as CoreDNS does, and render() keeps it', () => {
    const corefile = Corefile.parse(`\ufeff${text}`);
    expect(corefile.serverBlocks.map((b) => b.keys)).toEqual([['.:53']]);
    expect(corefile.render()).toEqual(`\ufeff${text}`);
  });

  test('a byte order mark inside the text is part of a token, as in CoreDNS (Go\'s unicode.IsSpace is false for U+FEFF)', () => {
    // GIVEN a U+FEFF glued between a directive and its argument (files concatenated with their BOMs)
    const glued = Corefile.parse('.:53 {\n    kubernetes\ufeffcluster.local\n}\n');
    // THEN CoreDNS reads one token "kubernetes\ufeffcluster.local", not the kubernetes directive
    expect(glued.mainServerBlock.directives.map((d) => d.name)).toEqual(['kubernetes\ufeffcluster.local']);
    expect(glued.mainServerBlock.directive('kubernetes')).toBeUndefined();
  });
});

describe('CoreDnsRewrite props from JavaScript', () => {
  test('corefile given as a string names the prop and says to use Corefile.parse()', () => {
    const props = { corefile: '.:53 {\n    kubernetes cluster.local\n}\n' } as unknown as { corefile: Corefile };
    expect(() => new CoreDnsRewrite(Testing.chart(), 'dns', props))
      .toThrow(/^'corefile' must be a Corefile, got the string "\.:53 \{\\n    kubernetes cluster\.local\\n\}\\n": pass Corefile\.parse\(text\)/);
  });

  test.each([
    [null, 'null'],
    [{ render: () => '' }, 'an object that is not a Corefile'],
    [5, 'a number'],
  ])('corefile given as %p names what it got', (corefile, got) => {
    const props = { corefile } as unknown as { corefile: Corefile };
    expect(() => new CoreDnsRewrite(Testing.chart(), 'dns', props)).toThrow(`'corefile' must be a Corefile, got ${got}: pass Corefile.parse(text)`);
  });
});
