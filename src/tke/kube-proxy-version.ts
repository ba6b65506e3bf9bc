/**
 * The one kube-proxy version parser and the one table of builds that support
 * `service.cloud.tencent.com/prevent-loopback`, shared by `LoopbackStrategy.preventLoopback()`, the
 * checker rule TKE-L4-003 and fix mode.
 */

/** A tag: `v<major>.<minor>.<patch>-tke.<revision>`, optionally `-rc<n>` (a pre-release of that build). */
const TAG = /^v(\d{1,4})\.(\d{1,4})\.(\d{1,4})-tke\.(\d{1,6})(?:-rc(\d{1,4}))?$/;

/** The image names that carry kube-proxy on TKE: `kube-proxy`, and `hyperkube` on newer clusters. */
const IMAGE_NAMES: ReadonlyArray<string> = ['kube-proxy', 'hyperkube'];

/** The accepted forms, shown in error messages. */
const ACCEPTED =
  'a TKE build tag such as v1.20.6-tke.12 or v1.34.1-tke.2-rc3, or the full image reference printed by ' +
  "`kubectl -n kube-system get ds kube-proxy -o jsonpath='{..image}'`, such as " +
  'ccr.ccs.tencentyun.com/tkeimages/kube-proxy:v1.20.6-tke.12 or ccr.ccs.tencentyun.com/tkeimages/hyperkube:v1.30.0-tke.9';

/**
 * The oldest Kubernetes minor for which Tencent names a kube-proxy build that supports
 * `prevent-loopback`. Nothing older is documented to support it.
 */
const OLDEST_DOCUMENTED_MINOR = 12;

/**
 * The oldest kube-proxy build per Kubernetes minor that can bind the CLB VIP to the IPVS interface, which
 * `prevent-loopback` needs, with the Tencent page that names it.
 *
 * - 1.12-1.20: the builds that Tencent's loopback page gives as supporting ones ("such as
 *   v1.20.6-tke.12, ..."), https://www.tencentcloud.com/document/product/457/42976
 * - 1.28: TKE's revision history, "v1.28.3-tke.3 (2024-04-24) lb vip binding issue fixed (kube-proxy)",
 *   https://www.tencentcloud.com/document/product/457/9315
 */
const MINIMUMS: ReadonlyArray<{ readonly tag: string; readonly source: string }> = [
  { tag: 'v1.12.4-tke.30', source: 'https://www.tencentcloud.com/document/product/457/42976' },
  { tag: 'v1.14.3-tke.24', source: 'https://www.tencentcloud.com/document/product/457/42976' },
  { tag: 'v1.16.3-tke.25', source: 'https://www.tencentcloud.com/document/product/457/42976' },
  { tag: 'v1.18.4-tke.20', source: 'https://www.tencentcloud.com/document/product/457/42976' },
  { tag: 'v1.20.6-tke.12', source: 'https://www.tencentcloud.com/document/product/457/42976' },
  { tag: 'v1.28.3-tke.3', source: 'https://www.tencentcloud.com/document/product/457/9315' },
];

/**
 * Whether a kube-proxy build supports `service.cloud.tencent.com/prevent-loopback`, and why.
 */
export interface PreventLoopbackSupport {
  /**
   * True when the build supports the annotation, as far as Tencent documents: it is at least the
   * documented minimum of its minor, or its minor (1.12 or later) has no documented minimum.
   */
  readonly supported: boolean;

  /**
   * One sentence saying why: the minimum the build is older than (with the Tencent page), that nothing
   * before 1.12 is documented, that the value does not parse (quoting it and the accepted forms), or
   * that the build meets its minor's minimum.
   */
  readonly reason: string;

  /**
   * The parsed build.
   *
   * @default - the value did not parse
   */
  readonly version?: KubeProxyVersion;

  /**
   * The oldest build of the same minor that Tencent documents as supporting the annotation.
   *
   * @default - none documented for the minor
   */
  readonly minimum?: KubeProxyVersion;
}

/**
 * A TKE kube-proxy build, as in the image of the `kube-proxy` DaemonSet in `kube-system`: the tag
 * `v<major>.<minor>.<patch>-tke.<revision>` (for example `v1.20.6-tke.12`), optionally with a
 * pre-release suffix `-rc<n>` (`v1.34.1-tke.2-rc3`, which comes before `v1.34.1-tke.2`). Newer clusters
 * run the `hyperkube` image instead of `kube-proxy`; both are accepted as full image references.
 *
 * Minimums for `prevent-loopback`: the builds Tencent's loopback page names for 1.12, 1.14, 1.16, 1.18
 * and 1.20, and `v1.28.3-tke.3` for 1.28, where TKE's revision history records "lb vip binding issue
 * fixed (kube-proxy)". Nothing older than 1.12 is documented to support it, so such builds are
 * unsupported. Other minors from 1.12 on have no documented minimum and are accepted.
 *
 * @see https://www.tencentcloud.com/document/product/457/42976
 * @see https://www.tencentcloud.com/document/product/457/9315
 */
export class KubeProxyVersion {
  /**
   * Parses a kube-proxy build: a tag (`v1.20.6-tke.12`, `v1.34.1-tke.2-rc3`) or a full image
   * reference whose image is `kube-proxy` or `hyperkube`
   * (`ccr.ccs.tencentyun.com/tkeimages/kube-proxy:v1.20.6-tke.12`, optionally with `@sha256:<digest>`).
   * Throws, quoting the value and showing the accepted forms, for anything else.
   *
   * @param version the tag or image reference
   */
  public static parse(version: string): KubeProxyVersion {
    const parsed = parseTag(version);
    if (parsed === undefined) {
      throw new Error(`kube-proxy version ${JSON.stringify(version)} is not a TKE kube-proxy build; expected ${ACCEPTED}`);
    }
    return parsed;
  }

  /**
   * Parses a tag or image reference like `parse()`, returning `undefined` instead of throwing.
   *
   * @param version the tag or image reference
   */
  public static tryParse(version: string): KubeProxyVersion | undefined {
    return parseTag(version);
  }

  /**
   * Whether the build in `version` (a tag or image reference, as `parse()` accepts) supports
   * `service.cloud.tencent.com/prevent-loopback`, and why. Never throws: a value that does not parse
   * is reported as unsupported, with a reason that quotes it and shows the accepted forms.
   *
   * @param version the tag or image reference
   */
  public static checkPreventLoopback(version: string): PreventLoopbackSupport {
    const parsed = parseTag(version);
    if (parsed === undefined) {
      return {
        supported: false,
        reason: `${JSON.stringify(version)} is not a TKE kube-proxy build, so its support for prevent-loopback is unknown; expected ${ACCEPTED}`,
      };
    }
    return parsed.preventLoopbackSupport();
  }

  /**
   * Every documented minimum, oldest minor first.
   */
  public static documentedMinimums(): KubeProxyVersion[] {
    return MINIMUMS.map((m) => KubeProxyVersion.parse(m.tag));
  }

  /** @internal */
  public static _of(major: number, minor: number, patch: number, tkeRevision: number, releaseCandidate?: number): KubeProxyVersion {
    return new KubeProxyVersion(major, minor, patch, tkeRevision, releaseCandidate);
  }

  /** The Kubernetes major version (1). */
  public readonly major: number;
  /** The Kubernetes minor version, for example 20. */
  public readonly minor: number;
  /** The upstream patch version, for example 6. */
  public readonly patch: number;
  /** The TKE build revision, the number after `-tke.`. */
  public readonly tkeRevision: number;
  /**
   * The pre-release number of a `-rc<n>` tag.
   *
   * @default - a release build
   */
  public readonly releaseCandidate?: number;

  private constructor(major: number, minor: number, patch: number, tkeRevision: number, releaseCandidate?: number) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.tkeRevision = tkeRevision;
    this.releaseCandidate = releaseCandidate;
  }

  /**
   * The oldest build of this version's minor that Tencent documents as supporting
   * `prevent-loopback`, or `undefined` when no minimum is documented for the minor.
   */
  public minimumForPreventLoopback(): KubeProxyVersion | undefined {
    const entry = minimumEntry(this);
    return entry ? KubeProxyVersion.parse(entry.tag) : undefined;
  }

  /**
   * Whether this build supports `prevent-loopback` (see `preventLoopbackSupport()`).
   */
  public supportsPreventLoopback(): boolean {
    return this.preventLoopbackSupport().supported;
  }

  /**
   * Whether this build supports `service.cloud.tencent.com/prevent-loopback`, and why: a build of a
   * minor before 1.12 does not (Tencent documents none), a build older than its minor's documented
   * minimum does not (the reason names the minimum and the Tencent page), anything else does.
   */
  public preventLoopbackSupport(): PreventLoopbackSupport {
    if (this.major < 1 || (this.major === 1 && this.minor < OLDEST_DOCUMENTED_MINOR)) {
      return {
        supported: false,
        version: this,
        reason:
          `${this} is older than Kubernetes 1.${OLDEST_DOCUMENTED_MINOR}; Tencent documents no kube-proxy before ` +
          'v1.12.4-tke.30 that supports prevent-loopback (https://www.tencentcloud.com/document/product/457/42976)',
      };
    }
    const entry = minimumEntry(this);
    if (entry === undefined) {
      return {
        supported: true,
        version: this,
        reason: `Tencent documents no minimum for Kubernetes ${this.major}.${this.minor}, so ${this} is accepted`,
      };
    }
    const minimum = KubeProxyVersion.parse(entry.tag);
    if (this.compareTo(minimum) < 0) {
      return {
        supported: false,
        version: this,
        minimum,
        reason: `${this} is older than ${minimum}, the first ${this.major}.${this.minor} build that supports prevent-loopback (${entry.source})`,
      };
    }
    return { supported: true, version: this, minimum, reason: `${this} is ${minimum} or later (${entry.source})` };
  }

  /**
   * Compares two builds: negative when this one is older, 0 when equal, positive when newer.
   * Major, minor, patch and the TKE revision are compared in turn; a `-rc<n>` build comes before the
   * release of the same revision, and a lower `n` before a higher one.
   *
   * @param other the build to compare with
   */
  public compareTo(other: KubeProxyVersion): number {
    const rc = (v: KubeProxyVersion) => (v.releaseCandidate === undefined ? Number.MAX_SAFE_INTEGER : v.releaseCandidate);
    return (
      this.major - other.major ||
      this.minor - other.minor ||
      this.patch - other.patch ||
      this.tkeRevision - other.tkeRevision ||
      Math.sign(rc(this) - rc(other))
    );
  }

  /**
   * The tag in its canonical form, for example `v1.20.6-tke.12` or `v1.34.1-tke.2-rc3`.
   */
  public toString(): string {
    const rc = this.releaseCandidate === undefined ? '' : `-rc${this.releaseCandidate}`;
    return `v${this.major}.${this.minor}.${this.patch}-tke.${this.tkeRevision}${rc}`;
  }

}

/** The table entry of `v`'s minor. */
function minimumEntry(v: KubeProxyVersion): { readonly tag: string; readonly source: string } | undefined {
  return MINIMUMS.find((m) => m.tag.startsWith(`v${v.major}.${v.minor}.`));
}

/** The build in a tag or image reference, or undefined. */
function parseTag(value: unknown): KubeProxyVersion | undefined {
  if (typeof value !== 'string') return undefined;
  let tag = value.trim();
  if (!tag.startsWith('v')) {
    // An image reference: [registry/][path/]name:tag[@digest]
    const ref = tag.split('@')[0];
    const slash = ref.lastIndexOf('/');
    const colon = ref.lastIndexOf(':');
    if (colon <= slash) return undefined;
    if (!IMAGE_NAMES.includes(ref.slice(slash + 1, colon))) return undefined;
    tag = ref.slice(colon + 1);
  }
  const match = TAG.exec(tag);
  if (!match) return undefined;
  const [major, minor, patch, revision] = match.slice(1, 5).map(Number);
  return KubeProxyVersion._of(major, minor, patch, revision, match[5] === undefined ? undefined : Number(match[5]));
}
