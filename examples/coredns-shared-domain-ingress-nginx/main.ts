/**
 * Tencent's shared-domain fix (https://www.tencentcloud.com/document/product/457/42976): `shop.oa.com` is served by two Services (`/` by `shop`, `/api` by
 * `api`) through a private-network CLB Ingress. Pods inside the cluster that call `shop.oa.com` would
 * loop back through the CLB, so they are sent to a self-run ingress-nginx instead:
 *
 * - `routeInCluster()` emits an Ingress of class `nginx` (`shop-in-cluster`) with the same host and
 *   path rules and backends, including the rule added after the call;
 * - CoreDNS rewrites `shop.oa.com` to `ingress-nginx-controller.ingress-nginx.svc.cluster.local`, the
 *   Service of an ingress-nginx installed with its Helm chart's defaults.
 *
 * Clients outside the cluster still use the CLB; clients inside never touch it.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CoreDnsRewrite, LoopbackSafeIngress } from '../../src';
import { nginxContainer } from '../shared/nginx';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'prod' });

function workload(name: string): kplus.Service {
  const deployment = new kplus.Deployment(chart, name, {
    containers: [nginxContainer(chart, name)],
  });
  // NodePort for the CLB Ingress, which binds each backend Service's NodePort (ingress-nginx is fine with it too).
  return deployment.exposeViaService({ name, serviceType: kplus.ServiceType.NODE_PORT, ports: [{ port: 80, targetPort: 8080 }] });
}
const shop = workload('shop');
const api = workload('api');

const ingress = new LoopbackSafeIngress(chart, 'ingress', {
  metadata: { name: 'shop' },
  internalSubnetId: 'subnet-abcd1234',
  rules: [{ host: 'shop.oa.com', path: '/', backend: kplus.IngressBackend.fromService(shop) }],
});

// TKE's default Corefile; on a real cluster start from the live one (Corefile.fromFile, see the README).
const dnsChart = new Chart(app, 'coredns');
const dns = new CoreDnsRewrite(dnsChart, 'dns');
ingress.routeInCluster({ dns }); // class nginx, controller ingress-nginx-controller in ingress-nginx

// Added after routeInCluster(): mirrored all the same.
ingress.addHostRule('shop.oa.com', '/api', kplus.IngressBackend.fromService(api));

app.synth();
