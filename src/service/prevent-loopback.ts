import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeValue } from '../private/k8s-names';
import { TkeAnnotations } from '../tke/annotations';

/** Scopes that already carry the applyToAll validation. */
const applied = new WeakSet<IConstruct>();

/**
 * Puts `service.cloud.tencent.com/prevent-loopback: "true"` on Services that were not written with
 * `LoopbackSafeService`.
 *
 * @see https://www.tencentcloud.com/document/product/457/42976
 */
export class PreventLoopback {
  /**
   * Annotates every Service of type `LoadBalancer` under `scope` with
   * `service.cloud.tencent.com/prevent-loopback: "true"`, as Tencent's loopback page says to do for all
   * Services. It works on any API object of kind `Service` (`kplus.Service`, `kplus.k8s.KubeService`,
   * `LoopbackSafeService`, objects from `Include`), including those created after this call: the
   * Services are found and annotated at synth time, when cdk8s validates the app (before it renders any
   * manifest). The annotation is added as a JSON patch that cdk8s applies after the object's own
   * patches, so a patch that replaces `/metadata/annotations` does not drop it.
   *
   * A Service that already sets the annotation to `"true"` is left alone. Any other value (`"false"`,
   * `"True"`, ...) fails synth with a message naming the Service and the value: the call asks for all
   * Services to be protected, and a silent exception would defeat it.
   *
   * The annotation is harmless on a public-network CLB, which cannot loop back. It needs a kube-proxy
   * that supports it (see `KubeProxyVersion`) and the CLB "non-VIP health-check source IP" feature,
   * which Tencent enables through a ticket. Calling it more than once on the same scope has no further
   * effect.
   *
   * @param scope the App, Chart or construct whose Services to annotate
   * @see https://www.tencentcloud.com/document/product/457/42976
   */
  public static applyToAll(scope: IConstruct): void {
    if (scope === null || typeof scope !== 'object' || typeof (scope as any).node?.addValidation !== 'function') {
      throw new Error(`PreventLoopback.applyToAll: 'scope' must be a construct (an App, Chart or construct), got ${describeValue(scope)}`);
    }
    if (applied.has(scope)) return;
    applied.add(scope);
    scope.node.addValidation({ validate: () => annotateLoadBalancerServices(scope) });
  }

  private constructor() {}
}

/**
 * Annotates every LoadBalancer Service under `scope` that lacks the annotation, and returns a problem
 * for each one that sets another value. Reads the rendered object, so JSON patches and late changes
 * count, and annotates with a JSON patch that runs after the user's patches.
 */
function annotateLoadBalancerServices(scope: IConstruct): string[] {
  const key = TkeAnnotations.SERVICE_PREVENT_LOOPBACK;
  const problems: string[] = [];
  for (const c of scope.node.findAll()) {
    if (!ApiObject.isApiObject(c) || c.kind !== 'Service' || c.apiVersion !== 'v1') continue;
    let manifest: any;
    try {
      manifest = c.toJson();
    } catch {
      // The object cannot be rendered (for example a kplus Service without ports): rendering fails
      // with the real cause right after validation, so there is nothing to add here.
      continue;
    }
    if (manifest?.spec?.type !== 'LoadBalancer') continue;
    const value = manifest.metadata?.annotations?.[key];
    if (value === undefined) {
      problems.push(...annotate(c, manifest, key));
    } else if (value !== 'true') {
      const ns = manifest.metadata?.namespace;
      problems.push(
        `PreventLoopback.applyToAll: Service ${ns ? `${ns}/` : ''}${manifest.metadata?.name} (${c.node.path}) sets ${key} ` +
        `to ${JSON.stringify(value)}; only "true" is left alone: remove the annotation or set it to "true"`,
      );
    }
  }
  return problems;
}

/**
 * Adds the annotation as a JSON patch, which cdk8s applies after every patch the user added before
 * synth: a user patch that replaces `/metadata/annotations` cannot drop it. The rendered object is read
 * again to make sure the annotation is there.
 */
function annotate(c: ApiObject, manifest: any, key: string): string[] {
  const hasAnnotations = manifest.metadata?.annotations !== undefined && manifest.metadata?.annotations !== null;
  c.addJsonPatch(
    hasAnnotations
      ? JsonPatch.add(`/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, 'true')
      : JsonPatch.add('/metadata/annotations', { [key]: 'true' }),
  );
  const after = c.toJson()?.metadata?.annotations?.[key];
  if (after === 'true') return [];
  return [
    `PreventLoopback.applyToAll: Service ${manifest.metadata?.name} (${c.node.path}) could not be annotated ${key}: "true" ` +
    `(the rendered object has ${JSON.stringify(after)}): set the annotation yourself`,
  ];
}
