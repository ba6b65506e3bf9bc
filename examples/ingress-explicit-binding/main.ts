/**
 * The layer-7 loopback fix for a new private-network CLB Ingress: LoopbackSafeIngress with the default
 * EXPLICIT binding. The Ingress names its TkeServiceConfig (`shop-loopback`), which turns keepalive on
 * for HTTP 80 and, because the Ingress has TLS, HTTPS 443. The API rule carries its own health check.
 *
 * Before this works, CLB layer-7 SNAT and keepalive must be enabled by a Tencent ticket (keepalive is a
 * beta feature behind a whitelist: without it, do not declare keepalive).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LoopbackSafeIngress, tkeconfig } from '../../src';
import { nginxContainer } from '../shared/nginx';

const app = new App();
const chart = new Chart(app, 'ingress-explicit-binding', { namespace: 'shop' });

const web = new kplus.Deployment(chart, 'web', {
  containers: [nginxContainer(chart, 'web')],
});
// NodePort: without direct access the CLB binds each backend Service's NodePort on every node.
const webService = web.exposeViaService({ serviceType: kplus.ServiceType.NODE_PORT, ports: [{ port: 80, targetPort: 8080 }] });
const api = new kplus.Deployment(chart, 'api', {
  containers: [nginxContainer(chart, 'api')],
});
const apiService = api.exposeViaService({ serviceType: kplus.ServiceType.NODE_PORT, ports: [{ port: 8080 }] });

const ing = new LoopbackSafeIngress(chart, 'shop', {
  metadata: { name: 'shop' },
  internalSubnetId: 'subnet-abcd1234',
  rules: [{ host: 'shop.example.com', path: '/', backend: kplus.IngressBackend.fromService(webService) }],
});

// Later calls still reach both the Ingress and the TkeServiceConfig (addRulesWithSettings() takes per-rule CLB
// settings; the cdk8s-plus addHostRule() / addRule() / addRules() add rules without them). The health check asks for `/`, which
// nginx-unprivileged answers with 200 (requests for /api get its 404 page: the image stands in for your API);
// with your own image, use the path it answers 2xx on (e.g. `/healthz`).
ing.addRulesWithSettings({
  host: 'shop.example.com',
  path: '/api',
  backend: kplus.IngressBackend.fromService(apiService),
  healthCheck: {
    enable: true,
    intervalTime: 10,
    timeout: 3,
    httpCheckPath: '/',
    httpCheckMethod: tkeconfig.TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesHealthCheckHttpCheckMethod.GET,
  },
});
// The certificate secret `shop-tls` (type kubernetes.io/tls, in namespace `shop`) is created separately, for
// example by cert-manager or `kubectl create secret tls`: the app only references it.
const tls = kplus.Secret.fromSecretName(chart, 'tls', 'shop-tls');
ing.addTls([{ hosts: ['shop.example.com'], secret: tls }]);

app.synth();
