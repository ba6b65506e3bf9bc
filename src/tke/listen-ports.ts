/**
 * The one parser of `ingress.cloud.tencent.com/listen-ports`, shared by `LoopbackSafeIngress`, the checker
 * (TKE-L7-001) and fix mode. Not exported from the package: the value is a plain string annotation.
 *
 * The value is a JSON array of objects with exactly one key each, the listener protocol (`HTTP` or
 * `HTTPS`), whose value is the listener port (an integer 1-65535), for example
 * `[{"HTTP": 8080}, {"HTTPS": 8443}]`. When present, these listeners replace TKE's default HTTP 80 and
 * HTTPS 443 listeners.
 *
 * @see https://www.tencentcloud.com/document/product/457/40675
 */

/** One layer-7 listener declared by `listen-ports`. */
export interface DeclaredListener {
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly port: number;
}

/** What `parseListenPorts` found: the listeners, or why the value is malformed (never both). */
export type ListenPortsResult =
  | { readonly listeners: DeclaredListener[]; readonly problem?: undefined }
  | { readonly listeners?: undefined; readonly problem: string };

const EXAMPLE = '[{"HTTP": 8080}, {"HTTPS": 8443}]';

/**
 * Parse an `ingress.cloud.tencent.com/listen-ports` value. Never throws: a malformed value gives a
 * `problem` that quotes the value and shows the accepted form.
 */
export function parseListenPorts(value: unknown): ListenPortsResult {
  const bad = (why: string): ListenPortsResult => ({
    problem: `${why}; got ${JSON.stringify(value)}, expected a JSON array such as '${EXAMPLE}'`,
  });
  if (typeof value !== 'string') return bad('the value must be a string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return bad('the value is not valid JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return bad('the value must be a non-empty JSON array');
  const listeners: DeclaredListener[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of parsed.entries()) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      return bad(`entry ${i} must be an object like {"HTTP": 80}`);
    }
    const keys = Object.keys(entry);
    if (keys.length !== 1) return bad(`entry ${i} must have exactly one key, HTTP or HTTPS`);
    const protocol = keys[0];
    if (protocol !== 'HTTP' && protocol !== 'HTTPS') {
      return bad(`entry ${i} names protocol ${JSON.stringify(protocol)}; only HTTP and HTTPS are layer-7 listeners`);
    }
    const port = (entry as Record<string, unknown>)[protocol];
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      return bad(`entry ${i} has port ${JSON.stringify(port)}; a port is an integer from 1 to 65535`);
    }
    if (seen.has(String(port))) return bad(`port ${port} is declared twice`);
    seen.add(String(port));
    listeners.push({ protocol, port });
  }
  return { listeners };
}
