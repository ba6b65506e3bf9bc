import { isDnsLabel, MAX_LABEL_LENGTH } from '../private/k8s-names';

/** The longest name, without the trailing dot (RFC 1035). */
const MAX_NAME_LENGTH = 253;

/**
 * DNS name validation and comparison, as used for every name that ends up in a Corefile.
 *
 * This is a security boundary: a name is written into the Corefile as a bare token, so anything that
 * is not a plain host name (whitespace, a newline, `{`, `}`, `#`, a quote, an empty label, ...) is
 * rejected rather than escaped. Accepted names are lower-cased (DNS is case-insensitive and CoreDNS
 * lower-cases query names before it matches them) and a single trailing dot is removed.
 */
export class DnsName {
  /**
   * Validates a DNS name and returns it in canonical form: lower-cased, without a trailing dot.
   * Throws, naming the prop and quoting the value, when it is not a host name made of labels of 1 to
   * 63 letters, digits and hyphens (no leading or trailing hyphen) with at most 253 characters in all.
   *
   * @param value the name to check
   * @param prop the name of the prop or argument, quoted in the error message
   */
  public static normalize(value: string, prop: string = 'name'): string {
    const problem = DnsName.problem(value);
    if (problem !== undefined) {
      throw new Error(`'${prop}' must be a DNS name (dot-separated labels of 1-63 letters, digits or hyphens), got ${JSON.stringify(value)}: ${problem}`);
    }
    return DnsName.canonical(value);
  }

  /**
   * Whether `value` is a valid DNS name in the sense of `normalize()`.
   *
   * @param value the name to check
   */
  public static isValid(value: string): boolean {
    return DnsName.problem(value) === undefined;
  }

  /**
   * Whether `name` is `domain` itself or a name below it (`a.b.cluster.local` is within
   * `cluster.local`; `xcluster.local` is not). Both are compared in canonical form.
   *
   * @param name the name to test
   * @param domain the domain
   */
  public static isWithin(name: string, domain: string): boolean {
    const n = DnsName.canonical(name);
    const d = DnsName.canonical(domain);
    return n === d || n.endsWith(`.${d}`);
  }

  /**
   * Whether `name` is strictly below `domain` (`a.cluster.local` is; `cluster.local` is not).
   *
   * @param name the name to test
   * @param domain the domain
   */
  public static isBelow(name: string, domain: string): boolean {
    return DnsName.canonical(name).endsWith(`.${DnsName.canonical(domain)}`);
  }

  private static canonical(value: string): string {
    const lower = String(value).toLowerCase();
    return lower.endsWith('.') ? lower.slice(0, -1) : lower;
  }

  /** Why `value` is not a DNS name, or `undefined` when it is one. */
  private static problem(value: unknown): string | undefined {
    if (typeof value !== 'string') return `expected a string, got ${typeof value}`;
    if (value.length === 0) return 'it is empty';
    const name = DnsName.canonical(value);
    if (name.length === 0) return 'it is only a dot';
    if (name.length > MAX_NAME_LENGTH) return `it has ${name.length} characters, more than ${MAX_NAME_LENGTH}`;
    for (const label of name.split('.')) {
      if (label.length === 0) return 'it has an empty label';
      if (label.length > MAX_LABEL_LENGTH) return `the label ${JSON.stringify(label)} has ${label.length} characters, more than ${MAX_LABEL_LENGTH}`;
      if (!isDnsLabel(label)) {
        return `the label ${JSON.stringify(label)} may only hold letters, digits and hyphens, and may not start or end with a hyphen`;
      }
    }
    return undefined;
  }

  private constructor() {}
}
