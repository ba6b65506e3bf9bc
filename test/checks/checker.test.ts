import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PREVENT, SUBNET } from './manifests';
import { FindingLevel, LoopbackChecker } from '../../src';

/** A chart with a private LoadBalancer Service, protected or not. */
function chartWithService(app: App, id: string, annotations: Record<string, string>, namespace?: string): Chart {
  const chart = new Chart(app, id, { namespace });
  const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
  const svc = web.exposeViaService({ serviceType: kplus.ServiceType.LOAD_BALANCER, ports: [{ port: 80, targetPort: 8080 }] });
  for (const [k, v] of Object.entries({ [SUBNET]: 'subnet-abcd1234', ...annotations })) svc.metadata.addAnnotation(k, v);
  return chart;
}

describe('checkChart and checkApp', () => {
  test('checkChart checks the synthesized manifests of one chart', () => {
    // GIVEN
    const chart = chartWithService(Testing.app(), 'shop', {}, 'shop');
    // WHEN
    const report = LoopbackChecker.checkChart(chart);
    // THEN
    const manifests = Testing.synth(chart);
    const svcIndex = manifests.findIndex((m) => m.kind === 'Service');
    expect(report.findings.map((f) => [f.ruleId, f.kind, f.namespace, f.name, f.manifestIndex])).toEqual([
      ['TKE-L4-001', 'Service', 'shop', manifests[svcIndex].metadata.name, svcIndex],
    ]);
  });

  test('checkApp checks every chart together, indexing the concatenated output', () => {
    const app = Testing.app();
    chartWithService(app, 'safe', { [PREVENT]: 'true' });
    chartWithService(app, 'unsafe', {});
    const report = LoopbackChecker.checkApp(app);
    const all = app.charts.flatMap((c) => c.toJson());
    expect(report.findings.map((f) => [f.ruleId, f.name, all[f.manifestIndex!].metadata.name])).toEqual([
      ['TKE-L4-001', expect.stringMatching(/^unsafe-web/), expect.stringMatching(/^unsafe-web/)],
    ]);
  });

  test('a Service in one chart is matched with its workload in another chart by checkApp', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    new ApiObject(a, 'svc', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', annotations: { [SUBNET]: 'subnet-abcd1234' } },
      spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    new ApiObject(b, 'deploy', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    expect(LoopbackChecker.checkChart(a).findings.map((f) => f.ruleId)).toEqual(['TKE-L4-002']);
    expect(LoopbackChecker.checkApp(app).findings.map((f) => f.ruleId)).toEqual(['TKE-L4-001']);
  });
});

describe('enforce', () => {
  test('synth fails on an error finding, with the findings in the message', () => {
    // GIVEN
    const app = Testing.app();
    const chart = chartWithService(app, 'shop', {}, 'shop');
    // WHEN
    LoopbackChecker.enforce(chart);
    // THEN
    expect(() => app.synth()).toThrow(/cdk8s-tke-loopback: 1 loopback finding\(s\) at or above error:\n\s+\[TKE-L4-001\] error Service shop\/shop-web-.*private-network LoadBalancer[\s\S]*fix: Annotate the Service/);
    expect(() => Testing.synth(chart)).toThrow(/\[TKE-L4-001\]/);
  });

  test('synth passes when the chart is protected, and warnings pass by default', () => {
    const app = Testing.app();
    const chart = chartWithService(app, 'shop', { [PREVENT]: 'true', 'service.cloud.tencent.com/direct-access': 'maybe' });
    LoopbackChecker.enforce(chart);
    expect(() => app.synth()).not.toThrow();
    expect(LoopbackChecker.checkChart(chart).findings.map((f) => f.level)).toEqual(['warning']);
  });

  test('failOn: WARNING fails on warnings too', () => {
    const app = Testing.app();
    const chart = chartWithService(app, 'shop', { [PREVENT]: 'true', 'service.cloud.tencent.com/direct-access': 'maybe' });
    LoopbackChecker.enforce(chart, { failOn: FindingLevel.WARNING });
    expect(() => app.synth()).toThrow(/at or above warning:\n\s+\[TKE-ANN-001\] warning/);
  });

  test('on an App, every chart is checked together; on a construct, its chart', () => {
    const app = Testing.app();
    chartWithService(app, 'safe', { [PREVENT]: 'true' });
    const unsafe = chartWithService(app, 'unsafe', {});
    LoopbackChecker.enforce(app);
    expect(() => app.synth()).toThrow(/\[TKE-L4-001\] error Service unsafe-web/);

    const app2 = Testing.app();
    const safe = chartWithService(app2, 'safe', { [PREVENT]: 'true' });
    chartWithService(app2, 'unsafe', {});
    LoopbackChecker.enforce(safe.node.children[0]);
    expect(() => Testing.synth(safe)).not.toThrow();
    expect(unsafe).toBeDefined();
  });

  test('a bad failOn is rejected, naming the option', () => {
    const chart = Testing.chart();
    expect(() => LoopbackChecker.enforce(chart, { failOn: 'fatal' as any })).toThrow(/'failOn' must be "error" or "warning", got "fatal"/);
  });
});

describe('enforce outside a chart', () => {
  test('a construct in no chart is rejected when enforce is called', () => {
    const orphan = new Construct(undefined as any, 'orphan');
    expect(() => LoopbackChecker.enforce(orphan)).toThrow(/cannot find a parent chart/);
  });
});

describe('CLB declarations', () => {
  test('one id declared both private and public is refused, naming it (as the CLI and the plugin do)', () => {
    expect(() => LoopbackChecker.check([], { privateClbIds: ['lb-abcd1234'], publicClbIds: [' lb-abcd1234'] }))
      .toThrow(/CLB lb-abcd1234 is in both 'privateClbIds' and 'publicClbIds'/);
  });
});
