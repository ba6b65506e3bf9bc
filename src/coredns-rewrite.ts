import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { Corefile, DnsName, RewriteMatch, RewriteRule } from './coredns';
import { RewritePlan } from './coredns/rewrite-plan';
import { dns1123LabelProblem, dns1123SubdomainProblem, throwIf } from './private/k8s-names';

/** The namespace of a Service that neither sets one nor sits in a chart with one. */
const DEFAULT_NAMESPACE = 'default';

/** Props of `CoreDnsRewrite`. */
export interface CoreDnsRewriteProps {
  /**
   * The Corefile to add the rewrite rules to.
   *
   * The ConfigMap this construct writes holds the whole Corefile, so applying it REPLACES the
   * cluster's Corefile: anything the live file has that this one lacks is gone. Start from the live
   * file: `kubectl -n kube-system get configmap coredns -o jsonpath='{.data.Corefile}' > live-corefile.txt`
   * and pass `Corefile.fromFile('live-corefile.txt')`.
   *
   * @default Corefile.tkeDefault() - TKE's default Corefile, which replaces the cluster's Corefile
   */
  readonly corefile?: Corefile;

  /**
   * The cluster domain. Targets must lie inside it (unless `allowExternalTarget`), sources outside it.
   *
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;

  /**
   * The name of the CoreDNS ConfigMap.
   *
   * @default 'coredns'
   */
  readonly configMapName?: string;

  /**
   * The namespace of the CoreDNS ConfigMap.
   *
   * @default 'kube-system'
   */
  readonly namespace?: string;
}

/** Options of `CoreDnsRewrite.rewriteName()`. */
export interface RewriteNameOptions {
  /**
   * How the asked name is matched. Every type except `EXACT` is written with `answer auto`.
   *
   * @default RewriteMatch.EXACT
   */
  readonly match?: RewriteMatch;

  /**
   * Accept a target outside the cluster domain. Rewriting to a name that resolves to the CLB brings
   * loopback back.
   *
   * @default false
   */
  readonly allowExternalTarget?: boolean;
}

/**
 * Points domain names that are baked into clients at in-cluster Services, with CoreDNS `rewrite`
 * rules, so that pods calling those names never go through the CLB (Tencent's recommended fix for
 * CLB loopback when a client cannot use the Service name).
 *
 * It writes the ConfigMap `coredns` in `kube-system` (key `Corefile`): the given Corefile (by default
 * TKE's default one) with one `rewrite name ...` line per rule, inserted just before the `kubernetes`
 * directive of the server block serving `.` on port 53. Nothing else in the Corefile changes. The
 * ConfigMap replaces the cluster's Corefile, so pass the live one (`Corefile.fromFile`).
 *
 * Names are validated (nothing can inject Corefile syntax) and lower-cased. Rules render in the order
 * they were added; the Corefile is rendered at synth time, so rules added after construction count.
 *
 * @see https://www.tencentcloud.com/document/product/457/42976
 * @see https://coredns.io/plugins/rewrite/
 */
export class CoreDnsRewrite extends Construct {
  /**
   * The ConfigMap holding the Corefile (key `Corefile`). It is this construct's default child, so
   * `ApiObject.of(dns)` returns its API object (for `addJsonPatch`, metadata, ...).
   */
  public readonly configMap: kplus.ConfigMap;

  /** The cluster domain, lower-cased, without a trailing dot. */
  public readonly clusterDomain: string;

  /** The Corefile the rules are added to, as given (or TKE's default). */
  public readonly corefile: Corefile;

  /** The name of the ConfigMap. */
  public readonly configMapName: string;

  /** The namespace of the ConfigMap. */
  public readonly namespace: string;

  private readonly _rules: RewriteRule[] = [];
  /** The other zones the Corefile's kubernetes directive serves, which FROM must stay out of too. */
  private readonly _otherZones: string[] = [];
  private readonly _byFrom = new Map<string, RewriteRule>();
  private _plan?: RewritePlan;

  constructor(scope: Construct, id: string, props: CoreDnsRewriteProps = {}) {
    super(scope, id);
    if (props.corefile !== undefined && !(props.corefile instanceof Corefile)) {
      const value: unknown = props.corefile;
      const got = typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}${value.length > 40 ? '...' : ''}`
        : value === null ? 'null' : typeof value === 'object' ? 'an object that is not a Corefile' : `a ${typeof value}`;
      throw new Error(`'corefile' must be a Corefile, got ${got}: pass Corefile.parse(text) (or Corefile.fromFile(path))`);
    }
    this.corefile = props.corefile ?? Corefile.tkeDefault();
    this.clusterDomain = DnsName.normalize(props.clusterDomain ?? 'cluster.local', 'clusterDomain');
    this.configMapName = props.configMapName ?? 'coredns';
    this.namespace = props.namespace ?? 'kube-system';
    throwIf(dns1123SubdomainProblem(this.configMapName, 'configMapName'));
    throwIf(dns1123LabelProblem(this.namespace, 'namespace'));
    this.checkClusterDomainServed();

    this.configMap = new kplus.ConfigMap(this, 'ConfigMap', {
      metadata: { name: this.configMapName, namespace: this.namespace },
    });
    // `ApiObject.of(dns)` finds the ConfigMap through cdk8s's default-child convention.
    this.node.defaultChild = this.configMap;
    this.configMap.addData('Corefile', Lazy.any({ produce: () => this.renderCorefile() }) as unknown as string);

    this.node.addValidation({ validate: () => this.validateSingleton() });
  }

  /**
   * Adds a rule that rewrites queries for `from` to `to`, and returns it.
   *
   * Throws, quoting the value, when: `from` or `to` is not a DNS name (or a valid regex rule); `from`
   * is inside the cluster domain, or inside another zone the Corefile's `kubernetes` directive serves
   * (prefix and substring rules always are: they also match the search-path expansions pods ask for
   * first); `to` is outside it and `allowExternalTarget` is not
   * set; this construct already rewrites `from` to something else (the same rule again changes
   * nothing and returns the existing rule); the Corefile already rewrites `from` differently (both rules are
   * in the message); an earlier rule (of this construct or of the Corefile) already catches `from`, so
   * the rule would never fire (add specific rules before broader ones; see `Corefile.withRewrites`);
   * a regex uses what Go's RE2 does not compile, or may match names inside the cluster domain; or the
   * rule closes a rewrite loop.
   *
   * @param from the name clients ask for (a suffix, prefix, substring or regex with `options.match`)
   * @param to the name CoreDNS resolves instead, for example `server.prod.svc.cluster.local`
   * @param options match type and target check
   */
  public rewriteName(from: string, to: string, options: RewriteNameOptions = {}): RewriteRule {
    const rule = RewriteRule.of(from, to, { match: options.match });
    rule.checkClusterDomain(this.clusterDomain, options.allowExternalTarget ?? false);
    // A kubernetes directive may serve more zones than the cluster domain (`kubernetes cluster.local
    // k8s.internal ...`): their names are in-cluster names too. Only FROM is judged against them.
    for (const zone of this._otherZones) rule.checkClusterDomain(zone, true);
    const key = byFromKey(rule);
    const twin = this._byFrom.get(key);
    if (twin && twin.isIdenticalTo(rule)) {
      // The same rule again (for example two Ingresses that share a host, both routed in-cluster): no change.
      return twin;
    }
    if (twin) {
      throw new Error(`'from' ${JSON.stringify(rule.from)} (${rule.match.keyword}) is already rewritten by ${this.node.path}: "${twin.toDirective()}"; duplicate rule "${rule.toDirective()}"`);
    }
    // Incremental: checks the new rule against the Corefile's and the earlier ones (conflicts,
    // shadowing, loops) without re-checking every pair, so N rules cost about N times one.
    this.plan().add(rule);
    this._rules.push(rule);
    this._byFrom.set(key, rule);
    return rule;
  }

  /**
   * Runs `fn`, which adds rules; when it throws, takes back every rule it added before rethrowing, so
   * that a caller who catches the error keeps no rule of a half-done change (rules that `fn` found
   * already there stay). Used by the constructs that add several rules in one step.
   *
   * @internal
   */
  public _allOrNothing<T>(fn: () => T): T {
    const count = this._rules.length;
    try {
      return fn();
    } catch (e) {
      if (this._rules.length > count) {
        for (const rule of this._rules.splice(count)) this._byFrom.delete(byFromKey(rule));
        // The incremental plan cannot drop rules: the next rule rebuilds it from the rules kept (see plan()).
        this._plan = undefined;
      }
      throw e;
    }
  }

  /**
   * Adds an exact rule that rewrites `from` to the in-cluster name of a Service
   * (`<name>.<namespace>.svc.<clusterDomain>`), and returns it. See `serviceFqdn()` for the namespace.
   *
   * @param from the name clients ask for, for example `roc.oa.com`
   * @param service a `kplus.Service` (such as a `LoopbackSafeService`) or a `kplus.k8s.KubeService`
   */
  public rewriteToService(from: string, service: IConstruct): RewriteRule {
    return this.rewriteName(from, this.serviceFqdn(service));
  }

  /**
   * The in-cluster name of a Service: `<name>.<namespace>.svc.<clusterDomain>`. The namespace is the
   * one in the Service's metadata; a Service without one lives in its chart's namespace, or in
   * `default` when the chart has none.
   *
   * @param service a `kplus.Service` or a `kplus.k8s.KubeService`
   */
  public serviceFqdn(service: IConstruct): string {
    let api: ApiObject;
    try {
      api = ApiObject.of(service);
    } catch {
      throw new Error(`'service' must be a kplus.Service or a kplus.k8s.KubeService, got ${service?.node?.path ?? String(service)}`);
    }
    if (api.kind !== 'Service') {
      throw new Error(`'service' must be a kplus.Service or a kplus.k8s.KubeService, got a ${api.kind} at ${service.node.path}`);
    }
    const namespace = api.metadata.namespace ?? DEFAULT_NAMESPACE;
    return DnsName.normalize(`${api.name}.${namespace}.svc.${this.clusterDomain}`, 'service');
  }

  /** The rules added to this construct, in the order they were added. */
  public get rules(): RewriteRule[] {
    return [...this._rules];
  }

  /** The Corefile as it will be written: the given Corefile plus one `rewrite` line per rule. */
  public renderCorefile(): string {
    return this.corefile.withRewrites(this._rules).render();
  }

  /**
   * The plan that checks each new rule against the Corefile's and the earlier ones, made on first use from the
   * Corefile and every rule kept (after `_allOrNothing` took rules back, it is made again from those left).
   */
  private plan(): RewritePlan {
    if (this._plan === undefined) {
      const plan = this.corefile._plan();
      for (const rule of this._rules) plan.add(rule);
      this._plan = plan;
    }
    return this._plan;
  }

  /** Fails when the Corefile's kubernetes directive lists zones and the cluster domain is not one of them. */
  private checkClusterDomainServed(): void {
    const kubernetes = this.corefile.mainServerBlock.directive('kubernetes');
    if (!kubernetes || kubernetes.args.length === 0) return;
    const zones = kubernetes.args.map((z) => z.toLowerCase().replace(/\.$/, ''));
    // An environment variable ({$CLUSTER_DOMAIN}) is substituted when CoreDNS starts: what it holds is
    // not known here, so the cluster domain cannot be checked against it.
    if (zones.some((z) => /\{[$%]/.test(z))) return;
    if (!zones.some((z) => z === '.' || z === '' || DnsName.isWithin(this.clusterDomain, z))) {
      throw new Error(`'clusterDomain' ${JSON.stringify(this.clusterDomain)} is not served by the Corefile's kubernetes directive (line ${kubernetes.line}: ${kubernetes.args.join(' ')})`);
    }
    for (const z of zones) {
      if (z === '.' || z === '' || z === this.clusterDomain || /(^|\.)(in-addr|ip6)\.arpa$/.test(z)) continue;
      try {
        this._otherZones.push(DnsName.normalize(z, 'zone'));
      } catch {
        // Not a DNS name (CoreDNS would refuse it itself): nothing to guard.
      }
    }
  }

  /** Errors when another CoreDnsRewrite in the App writes the same ConfigMap. */
  private validateSingleton(): string[] {
    const others = this.node.root.node.findAll()
      .filter((c): c is CoreDnsRewrite => c instanceof CoreDnsRewrite && c !== this)
      .filter((c) => c.configMapName === this.configMapName && c.namespace === this.namespace);
    return others.map((o) =>
      `only one CoreDnsRewrite may write ConfigMap ${this.namespace}/${this.configMapName}: ${this.node.path} and ${o.node.path} both do (add all rules to one of them)`);
  }
}

/** The key of `CoreDnsRewrite._byFrom`: the match type and FROM. */
function byFromKey(rule: RewriteRule): string {
  return `${rule.match.keyword} ${rule.from}`;
}
