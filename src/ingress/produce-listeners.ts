import { defaultL7Listeners, ingressListeners, renderL7Listeners } from './listeners';
import { ingressTls, IngressState } from './state';
import { patchedHasTls } from './validation';
import { annotationsOf, hasJsonPatches } from '../private/metadata';
import { TkeAnnotations } from '../tke/annotations';
import { TkeServiceConfigSpecLoadBalancerL7Listeners } from '../tke/imports/cloud.tencent.com';

/*
 * The rendering of a `LoopbackSafeIngress`'s TkeServiceConfig listeners at synth. Not exported from the package.
 */

/**
 * The `l7Listeners` of the TkeServiceConfig, rendered from the Ingress as it is at synth: the `produce`
 * of every Ingress's state (`Lazy.any(state)`). Rendering does not validate (the app-wide checks do); it
 * fails only when there is nothing to render from, a malformed `listen-ports` annotation.
 */
export function produceListeners(this: IngressState): TkeServiceConfigSpecLoadBalancerL7Listeners[] {
  const ingress = this.ingress;
  // The Ingress as it will be written, after its JSON patches: a patch may add listen-ports too.
  // A patch may add or remove `spec.tls` too, which decides the HTTPS 443 listener.
  let annotations: { readonly [key: string]: string };
  let hasTls = ingressTls(ingress).length > 0;
  try {
    if (hasJsonPatches(this.ingressObject)) {
      const manifest = this.ingressObject.toJson();
      annotations = manifest.metadata?.annotations ?? {};
      hasTls = patchedHasTls(manifest);
    } else {
      annotations = annotationsOf(ingress.metadata);
    }
  } catch {
    // Rendering the Ingress fails with its own error; render from the metadata meanwhile.
    annotations = annotationsOf(ingress.metadata);
  }
  const listenPorts = annotations[TkeAnnotations.INGRESS_LISTEN_PORTS];
  // The common case, TKE's default listeners and no per-rule setting, is rendered once for all Ingresses.
  if (listenPorts === undefined && !this.hasSettings) return defaultL7Listeners(hasTls);
  const declared = ingressListeners(listenPorts, hasTls);
  if (declared.problem !== undefined) {
    throw new Error(`${ingress.constructor.name} ${ingress.node.path}: ${TkeAnnotations.INGRESS_LISTEN_PORTS} is malformed: ${declared.problem}`);
  }
  return renderL7Listeners(declared.listeners, this.rules);
}
