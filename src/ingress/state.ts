import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ListenerRule } from './listeners';
import { TkeServiceConfigBinding } from './tke-service-config-binding';
import { RequiredAnnotation } from '../private/annotation-conflicts';

/**
 * What a `LoopbackSafeIngress` knows beyond its cdk8s-plus Ingress, read by its synth-time checks
 * (./validation.ts), its listener rendering (./listeners.ts) and its in-cluster mirror
 * (./in-cluster-route.ts). Not exported from the package.
 */

/**
 * A rule as the construct keeps it. cdk8s-plus keeps the routing itself (host, path, backend) in the
 * Ingress, but not the per-rule CLB settings, nor where the rule came from for error messages.
 */
export interface RuleEntry extends ListenerRule {
  readonly pathType: kplus.HttpIngressPathType;
  readonly backend: kplus.IngressBackend;
  /** How the user gave the rule's backend, for error messages: `'rules[0].backend'`, `the backend of addHostRule("a.com", "/")`. */
  readonly source: string;
  /** How the user gave the rule's options, for error messages: `rules[0]`, `addHostRule("a.com", "/") options`. */
  readonly optionsProp: string;
}

/** The state of one `LoopbackSafeIngress` that its synth-time checks read. */
export interface IngressState {
  readonly ingress: kplus.Ingress;
  /** `ApiObject.of(ingress)`, looked up once. */
  readonly ingressObject: ApiObject;
  readonly serviceConfigName: string;
  readonly binding: TkeServiceConfigBinding;
  readonly rules: readonly RuleEntry[];
  /** The TLS entries as given (the same objects the cdk8s-plus Ingress holds). */
  readonly tls: readonly kplus.IngressTls[];
  readonly defaultBackend?: kplus.IngressBackend;
  /** The annotations the construct writes on the Ingress, by key, re-checked on the patched manifest. */
  readonly required: ReadonlyMap<string, RequiredAnnotation>;
  /** Whether `routeInCluster()` made a mirror Ingress, which shares the namespace. */
  readonly mirrored: boolean;
}
