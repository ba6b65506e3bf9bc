import * as fc from 'fast-check';
import { isValidHost, tlsHostCovers, validateHost, validatePath } from '../../src/private/ingress-validation';

/** Kubernetes' own rule for an Ingress host (DNS-1123 subdomain, or `*.` + one), written independently. */
function kubernetesAcceptsHost(host: string): boolean {
  const rest = host.startsWith('*.') ? host.slice(2) : host;
  if (rest.length === 0 || host.length > 253) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(rest)) return false;
  return rest.split('.').every((label) => label.length >= 1 && label.length <= 63 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label));
}

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const host = fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.'));

describe('host validation', () => {
  test('property: generated RFC 1123 hosts are accepted, plain and as *.host', () => {
    fc.assert(
      fc.property(host, (h) => {
        fc.pre(!/^\d+\.\d+\.\d+\.\d+$/.test(h));
        expect(isValidHost(h)).toBe(true);
        expect(isValidHost(`*.${h}`)).toBe(true);
        expect(validateHost(h, 'host')).toEqual(h);
      }),
    );
  });

  test('property: random strings are accepted exactly when Kubernetes would accept them', () => {
    const chars = fc.constantFrom('a', 'z', '0', '9', '-', '.', '*', 'A', '_', ' ', ':', '/', '\n', '"');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: chars, maxLength: 30 }), host.map((h) => `${h}*`)), (s) => {
        expect(isValidHost(s)).toBe(kubernetesAcceptsHost(s));
      }),
      { numRuns: 2000 },
    );
  });

  test('property: a rejected host is quoted verbatim (JSON-escaped) in the error', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!isValidHost(s));
        expect(() => validateHost(s, 'rules[0].host')).toThrow('\'rules[0].host\' must be an RFC 1123 host name');
        expect(() => validateHost(s, 'rules[0].host')).toThrow(`got ${JSON.stringify(s)}`);
      }),
    );
  });

  test('a wildcard TLS host covers exactly one more label', () => {
    expect(tlsHostCovers('*.example.com', 'shop.example.com')).toBe(true);
    expect(tlsHostCovers('*.example.com', 'a.shop.example.com')).toBe(false);
    expect(tlsHostCovers('*.example.com', 'example.com')).toBe(false);
    expect(tlsHostCovers('shop.example.com', 'shop.example.com')).toBe(true);
    expect(tlsHostCovers('shop.example.com', '*.example.com')).toBe(false);
  });
});

describe('path validation', () => {
  /** What Kubernetes rejects in a Prefix or Exact path (apiserver networking validation), restated for the oracle. */
  const kubernetesRejects = (p: string) =>
    ['//', '/./', '/../', '%2f', '%2F'].some((x) => p.includes(x)) || p.endsWith('/.') || p.endsWith('/..');

  test('property (ImplementationSpecific): accepted exactly when it starts with / and has no whitespace', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `/${s}`)), (p) => {
        const ok = p.startsWith('/') && !/\s/.test(p);
        if (ok) {
          expect(validatePath(p, 'path', 'ImplementationSpecific')).toEqual(p);
        } else {
          expect(() => validatePath(p, 'path', 'ImplementationSpecific')).toThrow(`'path' must start with "/" and contain no whitespace, got ${JSON.stringify(p)}`);
        }
      }),
    );
  });

  test('property (Prefix, Exact): also rejected when Kubernetes rejects it, naming the prop and quoting the path', () => {
    const segment = fc.constantFrom('a', '.', '..', '', '%2f', '%2F', 'b.c');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 5 }), fc.constantFrom('Prefix', 'Exact'), (segments, pathType) => {
        const p = `/${segments.join('/')}`;
        if (kubernetesRejects(p)) {
          let message = '';
          try {
            validatePath(p, 'rules[0].path', pathType);
          } catch (e) {
            message = (e as Error).message;
          }
          expect(message.startsWith("'rules[0].path' ")).toBe(true);
          expect(message).toContain(`Kubernetes rejects in a path of type ${pathType}`);
          expect(message.endsWith(`got ${JSON.stringify(p)}`)).toBe(true);
        } else {
          expect(validatePath(p, 'rules[0].path', pathType)).toEqual(p);
        }
      }),
    );
  });

  test.each(['/a//b', '/a/./b', '/a/../b', '/a%2fb', '/a%2Fb', '/a/.', '/a/..', '//'])('%j is rejected for Prefix', (p) => {
    expect(() => validatePath(p, 'path', 'Prefix')).toThrow(/Kubernetes rejects in a path of type Prefix/);
  });

  test.each(['/', '/a', '/a/b.c', '/a/.b', '/a/..b', '/.well-known'])('%j is accepted for Prefix', (p) => {
    expect(validatePath(p, 'path', 'Prefix')).toEqual(p);
  });
});
