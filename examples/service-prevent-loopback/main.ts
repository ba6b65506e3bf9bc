/**
 * The default layer-4 fix: a private-network CLB Service annotated
 * `service.cloud.tencent.com/prevent-loopback: "true"`, with the cluster's kube-proxy version checked
 * against Tencent's documented minimum. `PreventLoopback.applyToAll()` puts the same annotation on a
 * LoadBalancer Service written with plain cdk8s-plus.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LoopbackSafeService, LoopbackStrategy, PreventLoopback, TkeAnnotations } from '../../src';
import { nginxContainer } from '../shared/nginx';

const app = new App();
const chart = new Chart(app, 'service-prevent-loopback', { namespace: 'prod' });

const api = new kplus.Deployment(chart, 'api', {
  metadata: { name: 'api' },
  containers: [nginxContainer(chart, 'api')],
});

new LoopbackSafeService(chart, 'api-svc', {
  metadata: { name: 'api' },
  selector: api,
  ports: [{ port: 80, targetPort: 8080 }],
  internalSubnetId: 'subnet-abcd1234',
  // The image of the kube-proxy DaemonSet in kube-system, as
  // `kubectl -n kube-system get ds kube-proxy -o jsonpath='{..image}'` prints it; an older build fails synth.
  strategy: LoopbackStrategy.preventLoopback({ kubeProxyVersion: 'ccr.ccs.tencentyun.com/tkeimages/kube-proxy:v1.20.6-tke.12' }),
});

// A Service written without LoopbackSafeService: annotated at synth time all the same.
const admin = new kplus.Deployment(chart, 'admin', {
  metadata: { name: 'admin' },
  containers: [nginxContainer(chart, 'admin')],
});
new kplus.Service(chart, 'admin-svc', {
  metadata: {
    name: 'admin',
    annotations: { [TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID]: 'subnet-abcd1234' },
  },
  type: kplus.ServiceType.LOAD_BALANCER,
  selector: admin,
  ports: [{ port: 9090, targetPort: 8080 }],
});
PreventLoopback.applyToAll(app);

app.synth();
