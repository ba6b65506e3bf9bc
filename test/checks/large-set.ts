/**
 * A large, realistic manifest set for performance tests and the checker benchmark: `n` objects in
 * `n / 10` namespaces, mixing Services (private, protected and not), Deployments with and without
 * anti-affinity, Ingresses, TkeServiceConfigs and ConfigMaps.
 */
import { corednsConfigMap, DIRECT, keepaliveConfig, PREVENT, privateIngress, privateService, workload } from './manifests';

export function largeSet(n: number): any[] {
  const out: any[] = [corednsConfigMap('.:53 {\n  rewrite name a.example.com web.ns-0.svc.cluster.local\n  kubernetes cluster.local\n}\n')];
  for (let i = 0; out.length < n; i++) {
    const namespace = `ns-${i % Math.max(1, Math.floor(n / 10))}`;
    const app = `app-${i}`;
    switch (i % 5) {
      case 0:
        out.push(privateService({ name: app, namespace, selector: { app }, annotations: { [PREVENT]: 'true' } }));
        break;
      case 1:
        out.push(privateService({ name: app, namespace, selector: { app, tier: 'web' }, externalTrafficPolicy: 'Local' }));
        break;
      case 2:
        out.push(privateService({ name: app, namespace, selector: { app: `app-${i - 1}` }, annotations: { [DIRECT]: 'true' } }));
        break;
      case 3:
        out.push(privateIngress({ name: app, namespace, config: `cfg-${i}`, tls: true }), keepaliveConfig(`cfg-${i}`, ['HTTP:80', 'HTTPS:443'], namespace));
        break;
      default:
        break;
    }
    out.push(workload({ name: app, namespace, labels: { app, tier: 'web' }, antiAffinity: i % 3 === 0 ? 'required' : i % 3 === 1 ? 'preferred' : 'none' }));
  }
  return out.slice(0, n);
}
