/**
 * Direct access plus pod anti-affinity (a VPC-CNI cluster, or GlobalRouter with `GlobalRouteDirectAccess:
 * "true"` in `kube-system/tke-service-controller-config`): the CLB binds the `api` pods themselves as real
 * servers, and the client that calls the CLB (`web`) is kept off the nodes running them. Here the
 * anti-affinity is only preferred (`required: false`), so pods never stay Pending for it, at the cost
 * that loopback remains possible when the scheduler has to co-locate them.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LoopbackSafeService, LoopbackStrategy } from '../../src';
import { nginxContainer } from '../shared/nginx';

const app = new App();
const chart = new Chart(app, 'service-direct-access', { namespace: 'prod' });

const api = new kplus.Deployment(chart, 'api', {
  metadata: { name: 'api' },
  // 8443 stands for the HTTPS port of your own image: nginx-unprivileged as shipped serves HTTP on 8080 only,
  // so with this image port 443 of the CLB has no listener behind it.
  containers: [{ ...nginxContainer(chart, 'api'), ports: [{ number: 8443 }] }],
});
const web = new kplus.Deployment(chart, 'web', {
  metadata: { name: 'web' },
  containers: [nginxContainer(chart, 'web')],
});

new LoopbackSafeService(chart, 'api-svc', {
  metadata: { name: 'api' },
  selector: api,
  ports: [
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'https', port: 443, targetPort: 8443 },
  ],
  internalSubnetId: 'subnet-abcd1234',
  existingLoadBalancerId: 'lb-abcd1234',
  strategy: LoopbackStrategy.directAccessWithAntiAffinity({ server: api, clients: [web], required: false }),
});

app.synth();
