/**
 * How an Ingress is bound to the TkeServiceConfig that carries its CLB settings.
 *
 * TKE offers two forms, and they must not be combined on one object:
 *
 * - `EXPLICIT`: the Ingress names the config in `ingress.cloud.tencent.com/tke-service-config`. The
 *   config is an ordinary object that your manifests own. This is the clean form for declarative
 *   tools (cdk8s, GitOps), and the default.
 * - `AUTO`: the Ingress carries `ingress.cloud.tencent.com/tke-service-config-auto: "true"`, and the
 *   ingress controller creates and owns the TkeServiceConfig `<ingress-name>-auto-ingress-config`.
 *   This is what Tencent's loopback page prescribes for existing Ingresses.
 *
 * @see https://www.tencentcloud.com/document/product/457/37015
 * @see https://www.tencentcloud.com/document/product/457/42976
 */
export class TkeServiceConfigBinding {
  /**
   * The Ingress names its TkeServiceConfig in `ingress.cloud.tencent.com/tke-service-config`; the
   * config (by default `<ingress-name>-loopback`) belongs to your manifests.
   */
  public static readonly EXPLICIT = new TkeServiceConfigBinding('EXPLICIT');

  /**
   * The Ingress carries `ingress.cloud.tencent.com/tke-service-config-auto: "true"` and the config is
   * `<ingress-name>-auto-ingress-config`, the object the ingress controller creates and owns. Applying
   * it from manifests means two writers for one object: the controller may rewrite it, and your
   * deployment tool may report drift or undo the controller's changes.
   */
  public static readonly AUTO = new TkeServiceConfigBinding('AUTO');

  /**
   * The name of the binding form: `EXPLICIT` or `AUTO`.
   */
  public readonly mode: string;

  private constructor(mode: string) {
    this.mode = mode;
  }

  /**
   * The name of the binding form.
   */
  public toString(): string {
    return this.mode;
  }
}
