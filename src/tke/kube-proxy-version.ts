const FORMAT = /^v(\d+)\.(\d+)\.(\d+)-tke\.(\d+)$/;

/** The expected format, quoted in error messages. */
const EXPECTED = 'v<major>.<minor>.<patch>-tke.<revision>, for example v1.20.6-tke.12';

/**
 * The oldest kube-proxy build per Kubernetes minor that Tencent names as able to bind the CLB VIP to
 * the IPVS interface, which `service.cloud.tencent.com/prevent-loopback` needs.
 */
const DOCUMENTED_MINIMUMS: ReadonlyArray<string> = [
  'v1.12.4-tke.30',
  'v1.14.3-tke.24',
  'v1.16.3-tke.25',
  'v1.18.4-tke.20',
  'v1.20.6-tke.12',
];

/**
 * A TKE kube-proxy build, as in the image tag of the `kube-proxy` DaemonSet in `kube-system`
 * (`v<major>.<minor>.<patch>-tke.<revision>`, for example `v1.20.6-tke.12`).
 *
 * Tencent documents the oldest build that supports `prevent-loopback` for Kubernetes 1.12, 1.14, 1.16,
 * 1.18 and 1.20 only. For any other minor (1.22 and later, odd minors, and anything older than 1.12)
 * no minimum is documented, so `minimumForPreventLoopback()` returns `undefined` and
 * `supportsPreventLoopback()` accepts the version. TKE's revision history says that 1.22.5-tke.1 and
 * later carry the fix, but Tencent's loopback page names no minimum for those minors.
 *
 * @see https://www.tencentcloud.com/document/product/457/42976
 * @see https://www.tencentcloud.com/document/product/457/9315
 */
export class KubeProxyVersion {
  /**
   * Parses a version string such as `v1.20.6-tke.12`. Throws, showing the expected format, when the
   * string does not match it.
   *
   * @param version the image tag of the kube-proxy DaemonSet
   */
  public static parse(version: string): KubeProxyVersion {
    const match = typeof version === 'string' ? FORMAT.exec(version.trim()) : null;
    if (!match) {
      throw new Error(`kube-proxy version ${JSON.stringify(version)} is not in the format ${EXPECTED}`);
    }
    return new KubeProxyVersion(Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4]));
  }

  /**
   * Parses a version string, returning `undefined` instead of throwing when it does not parse.
   *
   * @param version the image tag of the kube-proxy DaemonSet
   */
  public static tryParse(version: string): KubeProxyVersion | undefined {
    try {
      return KubeProxyVersion.parse(version);
    } catch {
      return undefined;
    }
  }

  /**
   * Every minimum that Tencent documents, oldest minor first.
   */
  public static documentedMinimums(): KubeProxyVersion[] {
    return DOCUMENTED_MINIMUMS.map((v) => KubeProxyVersion.parse(v));
  }

  /** The Kubernetes major version (1). */
  public readonly major: number;
  /** The Kubernetes minor version, for example 20. */
  public readonly minor: number;
  /** The upstream patch version, for example 6. */
  public readonly patch: number;
  /** The TKE build revision, the number after `-tke.`. */
  public readonly tkeRevision: number;

  private constructor(major: number, minor: number, patch: number, tkeRevision: number) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.tkeRevision = tkeRevision;
  }

  /**
   * The oldest build of this version's minor that Tencent documents as supporting
   * `prevent-loopback`, or `undefined` when no minimum is documented for the minor.
   */
  public minimumForPreventLoopback(): KubeProxyVersion | undefined {
    return KubeProxyVersion.documentedMinimums().find((m) => m.major === this.major && m.minor === this.minor);
  }

  /**
   * Whether this build supports `prevent-loopback`: it is at least the documented minimum of its
   * minor, or its minor has no documented minimum.
   */
  public supportsPreventLoopback(): boolean {
    const minimum = this.minimumForPreventLoopback();
    return minimum === undefined || this.compareTo(minimum) >= 0;
  }

  /**
   * Compares two builds: negative when this one is older, 0 when equal, positive when newer.
   * Major, minor and patch are compared first, then the TKE revision.
   *
   * @param other the build to compare with
   */
  public compareTo(other: KubeProxyVersion): number {
    return (
      this.major - other.major ||
      this.minor - other.minor ||
      this.patch - other.patch ||
      this.tkeRevision - other.tkeRevision
    );
  }

  /**
   * The version in its canonical form, for example `v1.20.6-tke.12`.
   */
  public toString(): string {
    return `v${this.major}.${this.minor}.${this.patch}-tke.${this.tkeRevision}`;
  }
}
