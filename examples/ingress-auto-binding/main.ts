/**
 * The layer-7 loopback fix in the form Tencent's loopback page prescribes for existing Ingresses: the
 * Ingress carries `ingress.cloud.tencent.com/tke-service-config-auto: "true"`, and the TkeServiceConfig
 * `legacy-auto-ingress-config` (the object the TKE controller creates and owns) carries keepalive for
 * HTTP 80. Applying it from manifests makes two writers for one object; prefer the explicit binding for
 * new Ingresses.
 *
 * Before this works, CLB layer-7 SNAT and keepalive must be enabled by a Tencent ticket (keepalive is a
 * beta feature behind a whitelist: without it, do not declare keepalive).
 *
 * The Ingress reuses an existing CLB, so it carries no `ingress.cloud.tencent.com/pass-to-target`:
 * Tencent's pass-to-target works only on CLBs that TKE creates. Let the SNAT'd traffic reach the nodes by
 * allowing 100.127.0.0/16 in the CVM security group, or turn on the CLB's own "allow by default" setting.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LoopbackSafeIngress, TkeServiceConfigBinding } from '../../src';
import { nginxContainer } from '../shared/nginx';

const app = new App();
const chart = new Chart(app, 'ingress-auto-binding', { namespace: 'legacy' });

const web = new kplus.Deployment(chart, 'web', {
  containers: [nginxContainer(chart, 'web')],
});
// NodePort: without direct access the CLB binds each backend Service's NodePort on every node.
const service = web.exposeViaService({ serviceType: kplus.ServiceType.NODE_PORT, ports: [{ port: 80, targetPort: 8080 }] });

new LoopbackSafeIngress(chart, 'legacy', {
  metadata: { name: 'legacy' },
  existingLoadBalancerId: 'lb-abcd1234', // an existing private-network CLB: no pass-to-target (see above)
  binding: TkeServiceConfigBinding.AUTO,
  rules: [{ host: 'legacy.example.com', path: '/', backend: kplus.IngressBackend.fromService(service) }],
});

app.synth();
