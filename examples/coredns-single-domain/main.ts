/**
 * Tencent's single-domain fix (https://www.tencentcloud.com/document/product/457/42976): clients have `roc.oa.com` baked in, and that name resolves to the
 * private-network CLB of the `server` Service. A CoreDNS rewrite points it at the Service's in-cluster
 * name instead, so pods never reach the CLB and cannot loop back through it.
 *
 * The Corefile starts from the cluster's live one (saved with
 * `kubectl -n kube-system get configmap coredns -o jsonpath='{.data.Corefile}' > live-corefile.txt`):
 * the ConfigMap replaces the cluster's Corefile, so starting from TKE's default would drop the `hosts`
 * block below. The only change is one `rewrite` line before `kubernetes`.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Corefile, CoreDnsRewrite, LoopbackSafeService } from '../../src';
import { nginxContainer } from '../shared/nginx';

const app = new App();

const prod = new Chart(app, 'server', { namespace: 'prod' });
const server = new kplus.Deployment(prod, 'server', {
  containers: [nginxContainer(prod, 'server')],
});
// A private-network CLB for clients outside the cluster, protected with prevent-loopback as well: the
// rewrite keeps this cluster's pods off the CLB, and the annotation covers any that still call its VIP.
const service = new LoopbackSafeService(prod, 'server-svc', {
  metadata: { name: 'server' },
  selector: server,
  ports: [{ port: 80, targetPort: 8080 }],
  internalSubnetId: 'subnet-abcd1234',
});

const dnsChart = new Chart(app, 'coredns');
const dns = new CoreDnsRewrite(dnsChart, 'dns', {
  corefile: Corefile.fromFile(path.join(__dirname, 'live-corefile.txt')),
});
dns.rewriteToService('roc.oa.com', service); // rewrite name exact roc.oa.com server.prod.svc.cluster.local

app.synth();
