/**
 * The layer-7 loopback fix written with the TkeServiceConfig L1 alone: a private-network CLB Ingress
 * serving HTTP and HTTPS, bound to a TkeServiceConfig that turns keepalive on for listeners 80 and 443.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { TkeAnnotations, tkeconfig } from '../../src';
import { nginxContainer } from '../shared/nginx';

const app = new App();
const chart = new Chart(app, 'ingress-keepalive-l1', { namespace: 'shop' });

const web = new kplus.Deployment(chart, 'web', {
  containers: [nginxContainer(chart, 'web')],
});
// NodePort: without direct access the CLB binds each backend Service's NodePort on every node.
const service = web.exposeViaService({ serviceType: kplus.ServiceType.NODE_PORT, ports: [{ port: 80, targetPort: 8080 }] });
// The certificate secret `shop-tls` (type kubernetes.io/tls, in namespace `shop`) is created separately, for
// example by cert-manager or `kubectl create secret tls`: the app only references it.
const tls = kplus.Secret.fromSecretName(chart, 'tls', 'shop-tls');

const config = new tkeconfig.TkeServiceConfig(chart, 'keepalive', {
  metadata: { name: 'shop-loopback' },
  spec: {
    loadBalancer: {
      l7Listeners: [
        { protocol: tkeconfig.TkeServiceConfigSpecLoadBalancerL7ListenersProtocol.HTTP, port: 80, keepaliveEnable: 1 },
        { protocol: tkeconfig.TkeServiceConfigSpecLoadBalancerL7ListenersProtocol.HTTPS, port: 443, keepaliveEnable: 1 },
      ],
    },
  },
});

const ingress = new kplus.Ingress(chart, 'ingress', {
  metadata: {
    name: 'shop',
    annotations: {
      [TkeAnnotations.INGRESS_CLASS]: 'qcloud',
      [TkeAnnotations.INGRESS_SUBNET_ID]: 'subnet-abcd1234',
      [TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG]: config.name,
    },
  },
  rules: [{ host: 'shop.example.com', path: '/', backend: kplus.IngressBackend.fromService(service) }],
  tls: [{ hosts: ['shop.example.com'], secret: tls }],
});
ingress.node.addDependency(config);

app.synth();
