import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { examplesOutput } from './harness/examples';
import { readYamlFile, validateManifests } from './harness/validate';
import { NGINX_IMAGE, NGINX_PORT } from '../examples/shared/nginx';

const ROOT = path.join(__dirname, '..');

describe('examples', () => {
  const { outdir, stdout, stderr, names } = examplesOutput();

  test('every example synthesizes', () => {
    expect(names.length).toBeGreaterThan(0);
    expect(stderr).toEqual('');
  });

  test.each(names)('%s synthesizes YAML that the harness validates, and the runner lists its files', (name) => {
    const files = fs.readdirSync(path.join(outdir, name)).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    const manifests = files.flatMap((f) => readYamlFile(path.join(outdir, name, f)));
    expect(manifests.length).toBeGreaterThan(0);
    validateManifests(manifests);
    expect(stdout).toContain(`${name}:`);
    for (const f of files) expect(stdout).toContain(f);
  });

  test('every CLB Ingress routes to NodePort Services (or uses direct access), and no example emits a Secret', () => {
    for (const name of names) {
      const manifests = fs.readdirSync(path.join(outdir, name)).filter((f) => f.endsWith('.yaml'))
        .flatMap((f) => readYamlFile(path.join(outdir, name, f)));
      // certificates are created outside the app and only referenced
      expect(manifests.filter((m) => m.kind === 'Secret').map((m) => `${name}: ${m.metadata.name}`)).toEqual([]);
      const services = new Map(manifests.filter((m) => m.kind === 'Service').map((m) => [`${m.metadata.namespace}/${m.metadata.name}`, m]));
      const clbIngresses = manifests.filter((m) => m.kind === 'Ingress'
        && (m.metadata.annotations?.['kubernetes.io/ingress.class'] ?? 'qcloud') === 'qcloud'
        && m.metadata.annotations?.['ingress.cloud.tencent.com/direct-access'] !== 'true');
      for (const ing of clbIngresses) {
        const ruleBackends = (ing.spec.rules ?? []).flatMap((r: any) => r.http.paths.map((p: any) => p.backend));
        const backends = [ing.spec.defaultBackend, ...ruleBackends].filter(Boolean);
        for (const b of backends) {
          const svc = services.get(`${ing.metadata.namespace}/${b.service.name}`);
          expect([`${name}: ${b.service.name}`, svc?.spec.type]).toEqual([`${name}: ${b.service.name}`, 'NodePort']);
        }
      }
    }
  });

  test('no example writes pass-to-target next to a reused CLB (Tencent: mutually exclusive), and ingress-auto-binding reuses one', () => {
    const pairs: string[] = [];
    for (const name of names) {
      const manifests = fs.readdirSync(path.join(outdir, name)).filter((f) => f.endsWith('.yaml'))
        .flatMap((f) => readYamlFile(path.join(outdir, name, f)));
      for (const m of manifests) {
        const a = m.metadata?.annotations ?? {};
        const reused = a['kubernetes.io/ingress.existLbId'] ?? a['service.kubernetes.io/tke-existed-lbid'];
        const pass = a['ingress.cloud.tencent.com/pass-to-target'] ?? a['service.cloud.tencent.com/pass-to-target'];
        if (reused !== undefined && pass !== undefined) pairs.push(`${name}: ${m.kind} ${m.metadata.name}`);
      }
    }
    expect(pairs).toEqual([]);
    const legacy = readYamlFile(path.join(outdir, 'ingress-auto-binding', 'ingress-auto-binding.k8s.yaml')).find((m) => m.kind === 'Ingress');
    expect(legacy.metadata.annotations['kubernetes.io/ingress.existLbId']).toEqual('lb-abcd1234');
    expect(legacy.metadata.annotations['ingress.cloud.tencent.com/pass-to-target']).toBeUndefined();
  });

  test('ingress-keepalive-l1 turns keepalive on for listeners 80 and 443', () => {
    const manifests = readYamlFile(path.join(outdir, 'ingress-keepalive-l1', 'ingress-keepalive-l1.k8s.yaml'));
    const config = manifests.find((m) => m.kind === 'TkeServiceConfig');
    const ingress = manifests.find((m) => m.kind === 'Ingress');
    expect(config.spec.loadBalancer.l7Listeners).toEqual([
      { protocol: 'HTTP', port: 80, keepaliveEnable: 1 },
      { protocol: 'HTTPS', port: 443, keepaliveEnable: 1 },
    ]);
    expect(ingress.metadata.annotations['ingress.cloud.tencent.com/tke-service-config']).toEqual(config.metadata.name);
    expect(config.metadata.namespace).toEqual(ingress.metadata.namespace);
  });

  describe('LoopbackSafeService examples', () => {
    const ADDR = 'cdk8s.io/metadata.addr';
    const read = (name: string) => readYamlFile(path.join(outdir, name, `${name}.k8s.yaml`));
    const byName = (manifests: any[], kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
    const podLabel = (deployment: any) => deployment.spec.template.metadata.labels[ADDR];
    const term = (other: any) => ({
      labelSelector: { matchLabels: { [ADDR]: podLabel(other) } },
      namespaces: ['prod'],
      topologyKey: 'kubernetes.io/hostname',
    });

    test('service-prevent-loopback annotates both private LoadBalancer Services prevent-loopback: "true"', () => {
      const manifests = read('service-prevent-loopback');
      for (const name of ['api', 'admin']) {
        expect(byName(manifests, 'Service', name).metadata.annotations).toEqual({
          'service.cloud.tencent.com/prevent-loopback': 'true',
          'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid': 'subnet-abcd1234',
        });
      }
    });

    test('service-local-anti-affinity sets externalTrafficPolicy: Local and required anti-affinity both ways', () => {
      const manifests = read('service-local-anti-affinity');
      const [api, web, worker] = ['api', 'web', 'worker'].map((n) => byName(manifests, 'Deployment', n));
      expect(byName(manifests, 'Service', 'api').spec.externalTrafficPolicy).toEqual('Local');
      expect(api.spec.template.spec.affinity).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(web), term(worker)] },
      });
      for (const client of [web, worker]) {
        expect(client.spec.template.spec.affinity).toEqual({
          podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(api)] },
        });
      }
    });

    test('the docs excerpt of service-local-anti-affinity (docs/loopback-safe-service.md) is real output', () => {
      const page = fs.readFileSync(path.join(ROOT, 'docs', 'loopback-safe-service.md'), 'utf8');
      const section = page.slice(page.indexOf('# LoopbackSafeService'));
      const block = /```yaml\n([\s\S]*?)```/.exec(section)![1];
      const [service] = YAML.parseAllDocuments(block).map((d) => d.toJS());
      expect(service).toEqual(byName(read('service-local-anti-affinity'), 'Service', 'api'));
      const label = podLabel(byName(read('service-local-anti-affinity'), 'Deployment', 'api'));
      expect(block).toContain(`cdk8s.io/metadata.addr: ${label}`);
    });

    test('service-direct-access annotates direct-access: "true" with preferred anti-affinity both ways', () => {
      const manifests = read('service-direct-access');
      const [api, web] = ['api', 'web'].map((n) => byName(manifests, 'Deployment', n));
      expect(byName(manifests, 'Service', 'api').metadata.annotations).toEqual({
        'service.cloud.tencent.com/direct-access': 'true',
        'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid': 'subnet-abcd1234',
        'service.kubernetes.io/tke-existed-lbid': 'lb-abcd1234',
      });
      expect(api.spec.template.spec.affinity).toEqual({
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term(web) }] },
      });
      expect(web.spec.template.spec.affinity).toEqual({
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term(api) }] },
      });
    });
  });
});

describe('example coredns-single-domain', () => {
  const { outdir } = examplesOutput();

  test('rewrites roc.oa.com to the Service and keeps every line of the live Corefile', () => {
    const manifests = readYamlFile(path.join(outdir, 'coredns-single-domain', 'coredns.k8s.yaml'));
    const service = readYamlFile(path.join(outdir, 'coredns-single-domain', 'server.k8s.yaml')).find((m) => m.kind === 'Service');
    const configMap = manifests.find((m) => m.kind === 'ConfigMap');
    const live = fs.readFileSync(path.join(ROOT, 'examples', 'coredns-single-domain', 'live-corefile.txt'), 'utf8');
    const rewrite = `    rewrite name exact roc.oa.com ${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local\n`;
    expect([configMap.metadata.name, configMap.metadata.namespace]).toEqual(['coredns', 'kube-system']);
    expect(configMap.data.Corefile).toEqual(live.replace('    kubernetes ', `${rewrite}    kubernetes `));
    expect(rewrite).toEqual('    rewrite name exact roc.oa.com server.prod.svc.cluster.local\n');
  });
});

describe('example coredns-shared-domain-ingress-nginx', () => {
  const { outdir } = examplesOutput();
  const dir = path.join(outdir, 'coredns-shared-domain-ingress-nginx');

  test('mirrors the CLB Ingress to class nginx and rewrites its host to the ingress-nginx controller', () => {
    const shop = readYamlFile(path.join(dir, 'shop.k8s.yaml'));
    const ingresses = shop.filter((m) => m.kind === 'Ingress');
    const clb = ingresses.find((m) => m.metadata.name === 'shop');
    const mirror = ingresses.find((m) => m.metadata.name === 'shop-in-cluster');
    expect(clb.metadata.annotations['kubernetes.io/ingress.class']).toEqual('qcloud');
    expect(mirror.metadata).toEqual({ name: 'shop-in-cluster', namespace: 'prod', annotations: { 'kubernetes.io/ingress.class': 'nginx' } });
    expect(mirror.spec).toEqual(clb.spec);
    expect(mirror.spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/', '/api']);
    const corefile: string = readYamlFile(path.join(dir, 'coredns.k8s.yaml')).find((m) => m.kind === 'ConfigMap').data.Corefile;
    expect(corefile.split('\n').filter((l) => l.includes('rewrite'))).toEqual([
      '    rewrite name exact shop.oa.com ingress-nginx-controller.ingress-nginx.svc.cluster.local',
    ]);
  });
});

describe('example workloads would run if applied', () => {
  const { outdir, names } = examplesOutput();
  const manifestsOf = (name: string): any[] => fs.readdirSync(path.join(outdir, name)).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => readYamlFile(path.join(outdir, name, f)));

  test.each(names)('%s: nginx-unprivileged on 8080 with /tmp writable under a read-only root filesystem; Services target declared ports', (name) => {
    const manifests = manifestsOf(name);
    const workloads = manifests.filter((m) => m.spec?.template?.spec !== undefined);
    expect(workloads.length).toBeGreaterThan(0);
    for (const w of workloads) {
      const pod = w.spec.template.spec;
      for (const c of pod.containers) {
        const where = `${name}: ${w.kind} ${w.metadata.name} container ${c.name}`;
        expect({ where, image: c.image }).toEqual({ where, image: NGINX_IMAGE });
        expect({ where, securityContext: c.securityContext })
          .toMatchObject({ where, securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true } });
        const tmp = (c.volumeMounts ?? []).find((m: any) => m.mountPath === '/tmp');
        expect({ where, tmp: (pod.volumes ?? []).find((v: any) => v.name === tmp?.name)?.emptyDir }).toEqual({ where, tmp: {} });
        expect({ where, ports: c.ports.map((p: any) => p.containerPort) }).toEqual({ where, ports: expect.arrayContaining([NGINX_PORT]) });
      }
    }
    for (const svc of manifests.filter((m) => m.kind === 'Service' && m.spec.selector !== undefined)) {
      const backing = workloads.filter((w) => Object.entries(svc.spec.selector).every(([k, v]) => w.spec.template.metadata?.labels?.[k] === v));
      expect({ service: `${name}: ${svc.metadata.name}`, backed: backing.length > 0 }).toEqual({ service: `${name}: ${svc.metadata.name}`, backed: true });
      for (const w of backing) {
        const declared = w.spec.template.spec.containers.flatMap((c: any) => c.ports.map((p: any) => p.containerPort));
        for (const p of svc.spec.ports) {
          const route = `${name}: Service ${svc.metadata.name} port ${p.port} -> ${w.metadata.name}:${p.targetPort ?? p.port}`;
          expect({ route, declared: declared.includes(p.targetPort ?? p.port) }).toEqual({ route, declared: true });
        }
      }
    }
  });
});
