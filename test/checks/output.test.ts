import { FindingLevel, LoopbackFinding } from '../../src';
import { artifactLocation, describeFinding, escapeControl, failsAt, objectAndMessage } from '../../src/checks/output';

function finding(props: Partial<LoopbackFinding>): LoopbackFinding {
  return { ruleId: 'TKE-X-001', level: FindingLevel.ERROR, kind: 'Service', message: 'm', fix: 'f', ...props };
}

describe('artifactLocation', () => {
  test('a file under the working directory is a relative URI with forward slashes, percent-encoded', () => {
    expect(artifactLocation('manifests/my app/svc#1.yaml', '/repo')).toEqual({ uri: 'manifests/my%20app/svc%231.yaml' });
    expect(artifactLocation('/repo/a.yaml', '/repo')).toEqual({ uri: 'a.yaml' });
  });

  test('a file outside the working directory is a file: URL', () => {
    expect(artifactLocation('../other/a b.yaml', '/repo')).toEqual({ uri: 'file:///other/a%20b.yaml' });
    expect(artifactLocation('/etc/k8s/a.yaml', '/repo')).toEqual({ uri: 'file:///etc/k8s/a.yaml' });
  });

  test('standard input', () => {
    expect(artifactLocation('<stdin>', '/repo')).toEqual({ uri: 'stdin', description: { text: 'standard input' } });
  });
});

describe('describeFinding and objectAndMessage', () => {
  test('kind, namespace and name as far as known', () => {
    expect(describeFinding(finding({ namespace: 'shop', name: 'web' }))).toBe('Service shop/web');
    expect(describeFinding(finding({ name: 'web' }))).toBe('Service web');
    expect(describeFinding(finding({ kind: '' }))).toBe('<no kind> <unnamed>');
  });

  test('the object is not repeated when the message already starts with it', () => {
    expect(objectAndMessage(finding({ namespace: 'shop', name: 'web', message: 'Service shop/web is open' }))).toBe('Service shop/web is open');
    expect(objectAndMessage(finding({ namespace: 'shop', name: 'web', message: 'no protection' }))).toBe('Service shop/web: no protection');
  });
});

describe('failsAt', () => {
  test.each([
    ['error', FindingLevel.ERROR, true],
    ['warning', FindingLevel.ERROR, false],
    ['error', FindingLevel.WARNING, true],
    ['warning', FindingLevel.WARNING, true],
    ['something-new', FindingLevel.ERROR, true],
  ])('a %s finding with --fail-on %s fails: %s', (level, failOn, fails) => {
    expect(failsAt(level, failOn)).toBe(fails);
  });
});

describe('escapeControl', () => {
  test('Unicode bidirectional controls (Trojan Source, CVE-2021-42574) are escaped like ANSI escapes', () => {
    const name = 'web\u202egnp.exe\u2066x\u2069\u200f';
    expect(escapeControl(`Service shop/${name}`)).toBe('Service shop/web\\u202egnp.exe\\u2066x\\u2069\\u200f');
  });

  test('other non-ASCII text is kept', () => {
    expect(escapeControl('Service 商城/web é')).toBe('Service 商城/web é');
  });
});
