import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DnsName, RewriteMatch } from '../coredns';
import { CoreDnsRewrite } from '../coredns-rewrite';
import { RouteInClusterOptions } from './props';
import { IngressRoute } from './state';
import { appChecksOf } from '../private/app-checks';
import { validateObjectName } from '../private/ingress-validation';
import { dns1035LabelProblem, dns1123LabelProblem, throwIf } from '../private/k8s-names';
import { TkeAnnotations, TkeNames } from '../tke/annotations';

/**
 * The mirror of `LoopbackSafeIngress.routeInCluster()`: an Ingress of the user's own controller class
 * with the same rules, and a CoreDNS rewrite of each host to that controller's Service. Not exported
 * from the package.
 *
 * @see https://www.tencentcloud.com/document/product/457/42976
 */
export class InClusterRoute {
  /**
   * Creates the mirror Ingress `id` under `scope`, in `namespace`, after checking `options`.
   *
   * @param ingressName the name of the CLB Ingress (the mirror's default name is `<ingressName>-in-cluster`)
   */
  public static create(
    scope: Construct,
    id: string,
    ingressName: string,
    namespace: string | undefined,
    options: RouteInClusterOptions,
  ): InClusterRoute {
    if (!options || !(options.dns instanceof CoreDnsRewrite)) {
      throw new Error(`'dns' must be a CoreDnsRewrite, got ${JSON.stringify(options?.dns === undefined ? undefined : String(options.dns))}`);
    }
    const ingressClass = validateObjectName(options.ingressClass ?? 'nginx', 'ingressClass');
    if (ingressClass === TkeNames.QCLOUD_INGRESS_CLASS) {
      throw new Error(`'ingressClass' must name your own controller, got ${JSON.stringify(ingressClass)}, which is TKE's CLB Ingress`);
    }
    const name = validateObjectName(options.name ?? `${ingressName}-in-cluster`, 'name');
    const target = controllerTarget(options);
    const mirror = new kplus.Ingress(scope, id, {
      metadata: { name, namespace, annotations: { [TkeAnnotations.INGRESS_CLASS]: ingressClass } },
    });
    appChecksOf(scope).own(ApiObject.of(mirror));
    return new InClusterRoute(mirror, options.dns, target, scope.node.path);
  }

  /** Hosts already rewritten, each once. */
  private readonly hosts = new Set<string>();

  private constructor(
    /** The mirror Ingress. */
    public readonly ingress: kplus.Ingress,
    private readonly dns: CoreDnsRewrite,
    /** The in-cluster name of the controller's Service. */
    private readonly target: string,
    private readonly ownerPath: string,
  ) {}

  /**
   * Rewrites the rule's host to the controller (once per host), then adds the rule to the mirror. The
   * backend comes as cdk8s-plus holds it, already rendered.
   */
  public addRoute(rule: IngressRoute): void {
    const host = rule.host;
    if (host !== undefined && !this.hosts.has(host)) {
      try {
        if (host.startsWith('*.')) {
          const rest = host.slice(2).toLowerCase().replace(/\./g, '\\.');
          this.dns.rewriteName(`^[a-z0-9-]+\\.${rest}\\.$`, this.target, { match: RewriteMatch.REGEX });
        } else {
          this.dns.rewriteName(host, this.target);
        }
      } catch (e) {
        throw new Error(`routeInCluster: host ${JSON.stringify(host)} of ${this.ownerPath} cannot be rewritten: ${(e as Error).message}`);
      }
      this.hosts.add(host);
    }
    // cdk8s-plus reads a backend only through _toKube().
    const backend = { _toKube: () => rule.backend } as unknown as kplus.IngressBackend;
    this.ingress.addRules({ host: rule.host, path: rule.path, pathType: rule.pathType, backend });
  }
}

/** The in-cluster name of the ingress controller's Service. */
function controllerTarget(options: RouteInClusterOptions): string {
  if (options.controllerService !== undefined) {
    if (options.controllerServiceName !== undefined || options.controllerServiceNamespace !== undefined) {
      throw new Error("'controllerService' cannot be combined with 'controllerServiceName' or 'controllerServiceNamespace'");
    }
    return options.dns.serviceFqdn(options.controllerService);
  }
  const serviceName = options.controllerServiceName ?? 'ingress-nginx-controller';
  const namespace = options.controllerServiceNamespace ?? 'ingress-nginx';
  throwIf(dns1035LabelProblem(serviceName, 'controllerServiceName'));
  throwIf(dns1123LabelProblem(namespace, 'controllerServiceNamespace'));
  return DnsName.normalize(`${serviceName}.${namespace}.svc.${options.dns.clusterDomain}`, 'controllerServiceName');
}
