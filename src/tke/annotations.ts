/**
 * The annotation keys that TKE's service and ingress controllers read, as Tencent documents them.
 *
 * Use these constants instead of typing the keys: a typo in an annotation key is silently ignored by
 * the controller, and the CLB then keeps its loopback-prone defaults.
 *
 * @see https://www.tencentcloud.com/document/product/457/42976
 */
export class TkeAnnotations {
  /**
   * `service.cloud.tencent.com/prevent-loopback`: set to `"true"` on a LoadBalancer Service so that
   * kube-proxy binds the CLB VIP to `kube-ipvs0` and the service controller moves the CLB health-check
   * source IP into 100.64.0.0/10. Tencent's loopback page says to put it on all Services. It needs a
   * kube-proxy that supports it (see `KubeProxyVersion`) and the CLB "non-VIP health-check source IP"
   * feature, which is enabled by a Tencent ticket.
   *
   * @see https://www.tencentcloud.com/document/product/457/42976
   * @see https://www.tencentcloud.com/document/product/457/39142
   */
  public static readonly SERVICE_PREVENT_LOOPBACK = 'service.cloud.tencent.com/prevent-loopback';

  /**
   * `service.kubernetes.io/qcloud-loadbalancer-internal-subnetid`: the subnet id (`subnet-xxxxxxxx`) of a
   * private-network CLB for a LoadBalancer Service. Only private-network CLBs can loop back.
   *
   * @see https://www.tencentcloud.com/document/product/457/39142
   */
  public static readonly SERVICE_INTERNAL_SUBNET_ID = 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid';

  /**
   * `service.kubernetes.io/tke-existed-lbid`: reuse an existing CLB (`lb-xxxxxxxx`) for a Service.
   *
   * @see https://www.tencentcloud.com/document/product/457/39142
   */
  public static readonly SERVICE_EXISTED_LB_ID = 'service.kubernetes.io/tke-existed-lbid';

  /**
   * `service.cloud.tencent.com/direct-access`: set to `"true"` so that the CLB binds pods as real servers
   * directly, bypassing NodePorts. Works on VPC-CNI clusters, and on GlobalRouter clusters once
   * `GlobalRouteDirectAccess: "true"` is set in the ConfigMap `kube-system/tke-service-controller-config`.
   * Loopback stays possible when a client runs on the same node as a server pod, so pair it with pod
   * anti-affinity.
   *
   * @see https://www.tencentcloud.com/document/product/457/36837
   * @see https://www.tencentcloud.com/document/product/457/42976
   * @see https://www.tencentcloud.com/document/product/457/39142
   */
  public static readonly SERVICE_DIRECT_ACCESS = 'service.cloud.tencent.com/direct-access';

  /**
   * `service.cloud.tencent.com/tke-service-config`: binds a Service to the TkeServiceConfig of this name,
   * in the Service's namespace. Must not be combined with `SERVICE_TKE_SERVICE_CONFIG_AUTO`.
   *
   * @see https://www.tencentcloud.com/document/product/457/36834
   * @see https://www.tencentcloud.com/document/product/457/39142
   */
  public static readonly SERVICE_TKE_SERVICE_CONFIG = 'service.cloud.tencent.com/tke-service-config';

  /**
   * `service.cloud.tencent.com/tke-service-config-auto`: set to `"true"` so that the controller creates
   * and owns the TkeServiceConfig `<service-name>-auto-service-config`.
   *
   * @see https://www.tencentcloud.com/document/product/457/36834
   * @see https://www.tencentcloud.com/document/product/457/39142
   */
  public static readonly SERVICE_TKE_SERVICE_CONFIG_AUTO = 'service.cloud.tencent.com/tke-service-config-auto';

  /**
   * `service.cloud.tencent.com/pass-to-target`: set to `"true"` to turn on the CLB "allow by default"
   * security-group setting for a Service's CLB. Works only on CLBs that TKE creates: it is mutually
   * exclusive with a reused CLB (`service.kubernetes.io/tke-existed-lbid`), where it is ignored.
   *
   * @see https://www.tencentcloud.com/document/product/457/39142
   */
  public static readonly SERVICE_PASS_TO_TARGET = 'service.cloud.tencent.com/pass-to-target';

  /**
   * `service.cloud.tencent.com/security-groups`: up to five security group ids, comma-separated, bound to
   * a Service's CLB.
   *
   * @see https://www.tencentcloud.com/document/product/457/39142
   */
  public static readonly SERVICE_SECURITY_GROUPS = 'service.cloud.tencent.com/security-groups';

  /**
   * `kubernetes.io/ingress.class`: `qcloud` selects TKE's CLB ingress controller (also the behaviour
   * when the annotation and `spec.ingressClassName` are both absent).
   *
   * @see https://www.tencentcloud.com/document/product/457/40675
   */
  public static readonly INGRESS_CLASS = 'kubernetes.io/ingress.class';

  /**
   * `kubernetes.io/ingress.subnetId`: the subnet id (`subnet-xxxxxxxx`) of a private-network CLB for an
   * Ingress. Only private-network CLBs can loop back.
   *
   * @see https://www.tencentcloud.com/document/product/457/40675
   */
  public static readonly INGRESS_SUBNET_ID = 'kubernetes.io/ingress.subnetId';

  /**
   * `kubernetes.io/ingress.existLbId`: reuse an existing CLB (`lb-xxxxxxxx`) for an Ingress.
   *
   * @see https://www.tencentcloud.com/document/product/457/40675
   */
  public static readonly INGRESS_EXIST_LB_ID = 'kubernetes.io/ingress.existLbId';

  /**
   * `ingress.cloud.tencent.com/direct-access`: set to `"true"` so that an Ingress's CLB binds pods
   * directly as real servers. Works on VPC-CNI clusters, and on GlobalRouter clusters once
   * `GlobalRouteDirectAccess: "true"` is set in the ConfigMap `kube-system/tke-service-controller-config`.
   *
   * @see https://www.tencentcloud.com/document/product/457/36837
   * @see https://www.tencentcloud.com/document/product/457/42976
   * @see https://www.tencentcloud.com/document/product/457/40675
   */
  public static readonly INGRESS_DIRECT_ACCESS = 'ingress.cloud.tencent.com/direct-access';

  /**
   * `ingress.cloud.tencent.com/tke-service-config`: binds an Ingress to the TkeServiceConfig of this
   * name, in the Ingress's namespace. The name must not end in `-auto-ingress-config` or
   * `-auto-service-config`, and it must not be combined with `INGRESS_TKE_SERVICE_CONFIG_AUTO`.
   *
   * @see https://www.tencentcloud.com/document/product/457/37015
   * @see https://www.tencentcloud.com/document/product/457/40675
   */
  public static readonly INGRESS_TKE_SERVICE_CONFIG = 'ingress.cloud.tencent.com/tke-service-config';

  /**
   * `ingress.cloud.tencent.com/tke-service-config-auto`: set to `"true"` so that the controller creates
   * and owns the TkeServiceConfig `<ingress-name>-auto-ingress-config`. This is the form Tencent's
   * loopback page prescribes for existing Ingresses.
   *
   * @see https://www.tencentcloud.com/document/product/457/42976
   * @see https://www.tencentcloud.com/document/product/457/40675
   */
  public static readonly INGRESS_TKE_SERVICE_CONFIG_AUTO = 'ingress.cloud.tencent.com/tke-service-config-auto';

  /**
   * `ingress.cloud.tencent.com/pass-to-target`: set to `"true"` to turn on the CLB "allow by default"
   * security-group setting, so that traffic from a CLB with layer-7 SNAT reaches the nodes. Works only on
   * CLBs that TKE creates: it is mutually exclusive with a reused CLB (`kubernetes.io/ingress.existLbId`),
   * where it is ignored; allow 100.127.0.0/16 in the CVM security group instead.
   *
   * @see https://www.tencentcloud.com/document/product/457/40675
   */
  public static readonly INGRESS_PASS_TO_TARGET = 'ingress.cloud.tencent.com/pass-to-target';

  /**
   * `ingress.cloud.tencent.com/listen-ports`: a JSON array of one-key objects naming the CLB's layer-7
   * listeners, for example `'[{"HTTP": 8080}, {"HTTPS": 8443}]'`. When it is set, these listeners replace
   * TKE's default HTTP 80 (and HTTPS 443 with TLS), so keepalive must be set on exactly these.
   *
   * @see https://www.tencentcloud.com/document/product/457/40675
   */
  public static readonly INGRESS_LISTEN_PORTS = 'ingress.cloud.tencent.com/listen-ports';

  private constructor() {}
}

/**
 * Other fixed names that TKE's controllers use.
 */
export class TkeNames {
  /**
   * The ingress class of TKE's CLB ingress controller: `qcloud`.
   */
  public static readonly QCLOUD_INGRESS_CLASS = 'qcloud';

  /**
   * The suffix of the TkeServiceConfig that the ingress controller creates for
   * `ingress.cloud.tencent.com/tke-service-config-auto: "true"`: `-auto-ingress-config`.
   */
  public static readonly AUTO_INGRESS_CONFIG_SUFFIX = '-auto-ingress-config';

  /**
   * The suffix of the TkeServiceConfig that the service controller creates for
   * `service.cloud.tencent.com/tke-service-config-auto: "true"`: `-auto-service-config`.
   */
  public static readonly AUTO_SERVICE_CONFIG_SUFFIX = '-auto-service-config';

  private constructor() {}
}
