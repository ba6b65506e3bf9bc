/**
 * `externalTrafficPolicy: Local` plus pod anti-affinity: the CLB only sends to nodes that run an `api`
 * pod, and the clients that call the CLB (`web`, `worker`) are never scheduled onto those nodes, so no
 * packet comes back to its own node. Works on any kube-proxy, and needs no Tencent ticket.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LoopbackSafeService, LoopbackStrategy } from '../../src';
import { nginxContainer } from '../shared/nginx';

const app = new App();
const chart = new Chart(app, 'service-local-anti-affinity', { namespace: 'prod' });

const api = new kplus.Deployment(chart, 'api', {
  metadata: { name: 'api' },
  containers: [nginxContainer(chart, 'api')],
});
const web = new kplus.Deployment(chart, 'web', {
  metadata: { name: 'web' },
  containers: [nginxContainer(chart, 'web')],
});
const worker = new kplus.Deployment(chart, 'worker', {
  metadata: { name: 'worker' },
  containers: [nginxContainer(chart, 'worker')],
});

new LoopbackSafeService(chart, 'api-svc', {
  metadata: { name: 'api' },
  selector: api,
  ports: [{ port: 80, targetPort: 8080 }],
  internalSubnetId: 'subnet-abcd1234',
  // required (the default): a client pod never shares a node with an api pod.
  strategy: LoopbackStrategy.localTrafficWithAntiAffinity({ server: api, clients: [web, worker] }),
});

app.synth();
