/**
 * Synth benchmarks: LoopbackSafeService and LoopbackSafeIngress against the same objects written with plain
 * cdk8s-plus (and a hand-written TkeServiceConfig), synthesized in the same process.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/*
 * The library as apps run it: the JavaScript that jsii compiles into lib/ and npm publishes, not src/ through
 * ts-node (an app's own code may run through ts-node, but a package under node_modules never does).
 * `npm run bench` compiles lib/ first.
 */
const LIB = path.join(__dirname, '..', 'lib', 'index.js');
if (!fs.existsSync(LIB)) {
  throw new Error('lib/ is missing: run `npx projen compile` first (`npm run bench` does)');
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LoopbackSafeIngress, LoopbackSafeService, TkeAnnotations, tkeconfig }: typeof import('../src') = require(LIB);
const TkeServiceConfig = tkeconfig.TkeServiceConfig;
const L7Protocol = tkeconfig.TkeServiceConfigSpecLoadBalancerL7ListenersProtocol;

const SUBNET = 'subnet-abcd1234';

/**
 * Synthesizes every chart of the app to JSON (validation included), the work `cdk8s synth` does before writing
 * YAML. YAML serialization is left out: it costs the same on both sides and would only dilute the ratio.
 * Returns the number of objects, so that the result stays alive until the timer stops.
 */
function synthesize(app: App): number {
  return app.charts.reduce((count, chart) => count + chart.toJson().length, 0);
}

function server(chart: Chart, i: number): kplus.Deployment {
  return new kplus.Deployment(chart, `d${i}`, {
    metadata: { name: `app-${i}` },
    containers: [{ image: `example/app:${i}`, portNumber: 8080 }],
  });
}

/** N Deployments, each with a LoopbackSafeService (preventLoopback, private subnet). */
export function oursServices(n: number): number {
  const app = new App();
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < n; i++) {
    new LoopbackSafeService(chart, `s${i}`, {
      metadata: { name: `app-${i}` },
      selector: server(chart, i),
      ports: [{ port: 80, targetPort: 8080 }],
      internalSubnetId: SUBNET,
    });
  }
  return synthesize(app);
}

/**
 * The same N Deployments, each with a plain kplus.Service of type LoadBalancer with the same ports and the same
 * annotations (the subnet and prevent-loopback), written by hand.
 */
export function plainServices(n: number): number {
  const app = new App();
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < n; i++) {
    new kplus.Service(chart, `s${i}`, {
      metadata: {
        name: `app-${i}`,
        annotations: { [TkeAnnotations.SERVICE_INTERNAL_SUBNET_ID]: SUBNET, [TkeAnnotations.SERVICE_PREVENT_LOOPBACK]: 'true' },
      },
      type: kplus.ServiceType.LOAD_BALANCER,
      selector: server(chart, i),
      ports: [{ port: 80, targetPort: 8080 }],
    });
  }
  return synthesize(app);
}

/** NodePort Services: a CLB Ingress without direct access binds each backend Service's NodePort. */
function backends(chart: Chart): { web: kplus.IngressBackend; api: kplus.IngressBackend; secret: kplus.ISecret } {
  const web = new kplus.Service(chart, 'web', { metadata: { name: 'web' }, type: kplus.ServiceType.NODE_PORT, selector: kplus.Pods.select(chart, 'web-pods', { labels: { app: 'web' } }), ports: [{ port: 80 }] });
  const api = new kplus.Service(chart, 'api', { metadata: { name: 'api' }, type: kplus.ServiceType.NODE_PORT, selector: kplus.Pods.select(chart, 'api-pods', { labels: { app: 'api' } }), ports: [{ port: 8080 }] });
  const secret = kplus.Secret.fromSecretName(chart, 'tls', 'shop-tls');
  return { web: kplus.IngressBackend.fromService(web), api: kplus.IngressBackend.fromService(api), secret };
}

/** N LoopbackSafeIngress, each with TLS and two rules. */
export function oursIngresses(n: number): number {
  const app = new App();
  const chart = new Chart(app, 'bench');
  const b = backends(chart);
  for (let i = 0; i < n; i++) {
    const host = `shop-${i}.example.com`;
    new LoopbackSafeIngress(chart, `i${i}`, {
      metadata: { name: `shop-${i}` },
      internalSubnetId: SUBNET,
      rules: [
        { host, path: '/', backend: b.web },
        { host, path: '/api', backend: b.api },
      ],
      tls: [{ hosts: [host], secret: b.secret }],
    });
  }
  return synthesize(app);
}

/** N plain kplus.Ingress with the same rules, TLS and annotations, plus a hand-written TkeServiceConfig each. */
export function plainIngresses(n: number): number {
  const app = new App();
  const chart = new Chart(app, 'bench');
  const b = backends(chart);
  for (let i = 0; i < n; i++) {
    const host = `shop-${i}.example.com`;
    const config = new TkeServiceConfig(chart, `c${i}`, {
      metadata: { name: `shop-${i}-loopback` },
      spec: {
        loadBalancer: {
          l7Listeners: [
            { protocol: L7Protocol.HTTP, port: 80, keepaliveEnable: 1 },
            { protocol: L7Protocol.HTTPS, port: 443, keepaliveEnable: 1 },
          ],
        },
      },
    });
    new kplus.Ingress(chart, `i${i}`, {
      metadata: {
        name: `shop-${i}`,
        annotations: {
          [TkeAnnotations.INGRESS_CLASS]: 'qcloud',
          [TkeAnnotations.INGRESS_SUBNET_ID]: SUBNET,
          [TkeAnnotations.INGRESS_PASS_TO_TARGET]: 'true',
          [TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG]: config.name,
        },
      },
      rules: [
        { host, path: '/', backend: b.web },
        { host, path: '/api', backend: b.api },
      ],
      tls: [{ hosts: [host], secret: b.secret }],
    });
  }
  return synthesize(app);
}

/** The largest object count a child process takes (the benchmarks use 1000 and 5000). */
const MAX_OBJECTS = 100_000;

/** The workloads a child process can run, by name. */
const WORKLOADS: { readonly [name: string]: (n: number) => number } = { oursServices, plainServices, oursIngresses, plainIngresses };

/**
 * The workload and object count of a child process (bench/memory-child.ts, bench/cold-child.ts), from its command
 * line `<workload> <n>`; exits with code 2, saying why, when either is wrong.
 */
export function workloadFromArgs(args: string[]): { workload: string; n: number; run: (n: number) => number } {
  const usage = `usage: <${Object.keys(WORKLOADS).join('|')}> <n, 1 to ${MAX_OBJECTS}>`;
  const [workload, count] = args;
  const run = Object.prototype.hasOwnProperty.call(WORKLOADS, workload) ? WORKLOADS[workload] : undefined;
  if (run === undefined || args.length !== 2) {
    console.error(`${run === undefined ? `unknown workload ${JSON.stringify(workload)}` : 'expected exactly two arguments'}; ${usage}`);
    process.exit(2);
  }
  const n = Number(count);
  if (!/^[0-9]+$/.test(count) || n < 1 || n > MAX_OBJECTS) {
    console.error(`the object count must be an integer from 1 to ${MAX_OBJECTS}, got ${JSON.stringify(count)}; ${usage}`);
    process.exit(2);
  }
  return { workload, n, run };
}
