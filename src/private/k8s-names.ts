/**
 * The names and strings that the Kubernetes API server validates, checked at synth so that a manifest
 * the API server would reject fails here instead, naming the prop and quoting the value. The rules are
 * those of k8s.io/apimachinery `validation.IsDNS1123Label`, `IsDNS1123Subdomain`, `IsDNS1035Label` and
 * of the networking/v1 Ingress validation (host and path). Never exported from the package.
 *
 * This is the one place that spells out Kubernetes and DNS name rules: the constructs, the Corefile model
 * (src/coredns, which stays free of cdk8s imports, so this module imports nothing) and the checker use it.
 */

/** The longest DNS-1123 or DNS-1035 label (`metadata.namespace`, a Service name, a port name). */
export const MAX_LABEL_LENGTH = 63;
/** The longest DNS-1123 subdomain (`metadata.name` of most kinds). */
export const MAX_SUBDOMAIN_LENGTH = 253;

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_ANY_CASE = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
const DNS_LABEL_UNDERSCORE = /^[A-Za-z0-9_]([-A-Za-z0-9_]*[A-Za-z0-9_])?$/;
/** One label of an Ingress host: at most 63 characters. */
const HOST_LABEL = '[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?';
const HOST = new RegExp(`^${HOST_LABEL}(\\.${HOST_LABEL})*$`);
/** Four dotted decimal numbers: Kubernetes rejects IP addresses as Ingress hosts. */
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;
/** What Kubernetes rejects inside an Ingress path of type `Prefix` or `Exact`. */
const INVALID_PATH_SEQUENCES: ReadonlyArray<string> = ['//', '/./', '/../', '%2f', '%2F'];
/** What Kubernetes rejects at the end of an Ingress path of type `Prefix` or `Exact`. */
const INVALID_PATH_SUFFIXES: ReadonlyArray<string> = ['/..', '/.'];

/**
 * A value for an error message: a `Lazy` shows as "a value resolved at synth" (its JSON would be
 * `{"producer":{}}`), a construct by its path, anything else as JSON (or `String()` when JSON fails).
 */
export function describeValue(value: unknown): string {
  if (isLazy(value)) return 'a value resolved at synth (Lazy), which cannot be checked here';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'function') return `a function ${value.name || '(anonymous)'}`;
  const path = (value as any)?.node?.path;
  if (typeof path === 'string') return `the construct ${path === '' ? '(root)' : path}`;
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json;
  } catch {
    return String(value);
  }
}

/** A cdk8s `Lazy` (recognised by shape, so that this module needs no cdk8s import). */
function isLazy(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as any).produce === 'function'
    && (value as any).constructor?.name === 'Lazy';
}

/**
 * Whether `label` is one label of a DNS name as a resolver sees it: letters (any case), digits and '-', not
 * starting or ending with '-', at most 63 characters. With `allowUnderscore`, '_' counts as a letter too
 * (service labels such as `_http._tcp`, which a Corefile read from a cluster may hold; this library never
 * writes them).
 */
export function isDnsLabel(label: string, allowUnderscore = false): boolean {
  if (label.length === 0 || label.length > MAX_LABEL_LENGTH) return false;
  return (allowUnderscore ? DNS_LABEL_UNDERSCORE : DNS_LABEL_ANY_CASE).test(label);
}

/** The problem with a name that must pass `isValid`, described as `what`, or undefined. */
function nameProblem(value: unknown, prop: string, what: string, isValid: (v: unknown) => boolean, max: number): string | undefined {
  if (typeof value !== 'string') return `'${prop}' must be ${what}, given as a plain string, got ${describeValue(value)}`;
  return isValid(value) ? undefined : `'${prop}' must be ${what}, got ${describeValue(value)}${lengthNote(value, max)}`;
}

/** Whether `value` is a DNS-1123 label: lowercase letters, digits and '-', at most 63 characters. */
export function isDns1123Label(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_LABEL_LENGTH && DNS_1123_LABEL.test(value);
}

/** The problem with a DNS-1123 label (a namespace, a port name), or undefined. */
export function dns1123LabelProblem(value: unknown, prop: string): string | undefined {
  // The valid case first, without building the description: the constructs call this for every object.
  if (isDns1123Label(value)) return undefined;
  const what = `a DNS-1123 label (at most ${MAX_LABEL_LENGTH} lowercase letters, digits and '-', starting and ending with a letter or digit)`;
  return nameProblem(value, prop, what, isDns1123Label, MAX_LABEL_LENGTH);
}

/** Whether `value` is a DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export function isDns1123Subdomain(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_SUBDOMAIN_LENGTH && DNS_1123_SUBDOMAIN.test(value);
}

/** The problem with a DNS-1123 subdomain (an object name), or undefined. */
export function dns1123SubdomainProblem(value: unknown, prop: string): string | undefined {
  if (isDns1123Subdomain(value)) return undefined;
  const what = `a DNS-1123 subdomain (at most ${MAX_SUBDOMAIN_LENGTH} characters: lowercase letters, digits, '-' and '.')`;
  return nameProblem(value, prop, what, isDns1123Subdomain, MAX_SUBDOMAIN_LENGTH);
}

/** A label name, or a label value when not empty: alphanumerics, '-', '_' and '.', starting and ending alphanumeric. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Whether `value` is a label key (`validation.IsQualifiedName`): a name of at most 63 characters, after an
 * optional DNS-1123 subdomain prefix and '/'.
 */
export function isLabelKey(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const slash = value.indexOf('/');
  const name = slash < 0 ? value : value.slice(slash + 1);
  if (slash >= 0 && !isDns1123Subdomain(value.slice(0, slash))) return false;
  return name.length <= MAX_LABEL_LENGTH && LABEL_NAME.test(name);
}

/** Whether `value` is a label value (`validation.IsValidLabelValue`): empty, or like a label name. */
export function isLabelValue(value: unknown): boolean {
  return typeof value === 'string' && (value === '' || (value.length <= MAX_LABEL_LENGTH && LABEL_NAME.test(value)));
}

/** The problem with one label (key and value) of `prop`, or undefined. */
export function labelProblem(key: string, value: unknown, prop: string): string | undefined {
  if (!isLabelKey(key)) {
    return `${prop} has the label key ${JSON.stringify(key)}, which is not a label key (an optional DNS-1123 subdomain and '/', then at most ${MAX_LABEL_LENGTH} letters, digits, '-', '_' and '.', starting and ending with a letter or digit)`;
  }
  if (!isLabelValue(value)) {
    return `${prop} maps ${JSON.stringify(key)} to ${describeValue(value)}, which is not a label value (a string of at most ${MAX_LABEL_LENGTH} letters, digits, '-', '_' and '.', starting and ending with a letter or digit, or empty)`;
  }
  return undefined;
}

/** Whether `value` is a DNS-1035 label (a Service name): like a DNS-1123 label, but starting with a letter. */
export function isDns1035Label(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_LABEL_LENGTH && DNS_1035_LABEL.test(value);
}

/** The problem with a DNS-1035 label (a Service name), or undefined. */
export function dns1035LabelProblem(value: unknown, prop: string): string | undefined {
  if (isDns1035Label(value)) return undefined;
  const what = `a DNS-1035 label (at most ${MAX_LABEL_LENGTH} lowercase letters, digits and '-', starting with a letter and ending with a letter or digit)`;
  return nameProblem(value, prop, what, isDns1035Label, MAX_LABEL_LENGTH);
}

/** Whether `host` is an Ingress host: an RFC 1123 name, not an IP, with a wildcard only as the whole leftmost label. */
export function isIngressHost(host: unknown): boolean {
  // The same host is usually checked several times in a row (each rule of a host, then its TLS entry).
  // `lastIngressHost` starts undefined: an undefined host is never a remembered one.
  if (host === lastIngressHost && host !== undefined) return true;
  if (typeof host !== 'string' || host.length === 0 || host.length > MAX_SUBDOMAIN_LENGTH) return false;
  const rest = host.startsWith('*.') ? host.slice(2) : host;
  if (!HOST.test(rest) || IPV4.test(rest)) return false;
  lastIngressHost = host;
  return true;
}

/** The last host that `isIngressHost()` accepted (a pure function of the string, so safe to remember). */
let lastIngressHost: string | undefined;

/** The problem with an Ingress host, or undefined. */
export function ingressHostProblem(host: unknown, prop: string): string | undefined {
  if (isIngressHost(host)) return undefined;
  return (
    `'${prop}' must be an RFC 1123 host name (lowercase labels of letters, digits and '-', at most 253 characters, ` +
    `not an IP address), with a wildcard only as the whole leftmost label (*.example.com), got ${describeValue(host)}`
  );
}

/**
 * The problem with an Ingress path, or undefined: it must start with '/' and contain no whitespace;
 * for `Prefix` and `Exact` Kubernetes also rejects `//`, `/./`, `/../`, `%2f`, `%2F` and a path ending
 * in `/.` or `/..`.
 *
 * @param pathType `Prefix`, `Exact` or `ImplementationSpecific`
 */
export function ingressPathProblem(path: unknown, pathType: string, prop: string): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('/') || /\s/.test(path)) {
    return `'${prop}' must start with "/" and contain no whitespace, got ${describeValue(path)}`;
  }
  if (pathType !== 'Prefix' && pathType !== 'Exact') return undefined;
  // Plain loops, no callback: this runs for every rule.
  let sequence: string | undefined;
  for (let i = 0; i < INVALID_PATH_SEQUENCES.length && sequence === undefined; i++) {
    if (path.includes(INVALID_PATH_SEQUENCES[i])) sequence = INVALID_PATH_SEQUENCES[i];
  }
  let suffix: string | undefined;
  for (let i = 0; i < INVALID_PATH_SUFFIXES.length && suffix === undefined; i++) {
    if (path.endsWith(INVALID_PATH_SUFFIXES[i])) suffix = INVALID_PATH_SUFFIXES[i];
  }
  if (sequence === undefined && suffix === undefined) return undefined;
  return (
    `'${prop}' ${sequence !== undefined ? `contains ${JSON.stringify(sequence)}` : `ends in ${JSON.stringify(suffix)}`}, which ` +
    `Kubernetes rejects in a path of type ${pathType} (no //, /./, /../, %2f or %2F, and no trailing /. or /..), got ${JSON.stringify(path)}`
  );
}

/** Throws the problem, if any. */
export function throwIf(problem: string | undefined): void {
  if (problem !== undefined) throw new Error(problem);
}

function lengthNote(value: string, max: number): string {
  return value.length > max ? ` (${value.length} characters)` : value.length === 0 ? ' (empty)' : '';
}
