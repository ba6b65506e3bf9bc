import { LoopbackChecker } from '../../../src';
import { briefs, ING_SUBNET, ingress, messages, PREVENT, privateService, SUBNET } from '../manifests';

describe('TKE-ANN-002', () => {
  const RULE = 'TKE-ANN-002';

  test('non-compliant: malformed subnet and CLB ids', () => {
    const report = LoopbackChecker.check([
      privateService({ annotations: { [SUBNET]: 'subnet-ABC', [PREVENT]: 'true' } }),
      ingress({ annotations: { [ING_SUBNET]: 'abcd1234', 'kubernetes.io/ingress.existLbId': 'lb-1' } }),
    ]);
    expect(briefs(report.findings, RULE)).toEqual([
      { ruleId: RULE, level: 'error', kind: 'Service', name: 'web', manifestIndex: 0 },
      { ruleId: RULE, level: 'error', kind: 'Ingress', name: 'shop', manifestIndex: 1 },
      { ruleId: RULE, level: 'error', kind: 'Ingress', name: 'shop', manifestIndex: 1 },
    ]);
    expect(messages(report.findings, RULE)[0]).toEqual(
      'Service web has service.kubernetes.io/qcloud-loadbalancer-internal-subnetid: "subnet-ABC", which does not look like subnet-xxxxxxxx (8 lowercase letters or digits)',
    );
  });

  test('compliant: well-formed ids', () => {
    const report = LoopbackChecker.check([
      privateService({ annotations: { [PREVENT]: 'true', 'service.kubernetes.io/tke-existed-lbid': 'lb-abcd1234' } }),
    ]);
    expect(briefs(report.findings, RULE)).toEqual([]);
  });

  test('non-compliant: a CLB id that is too short and a subnet id that is not a string', () => {
    const report = LoopbackChecker.check([
      privateService({ name: 'a', annotations: { [PREVENT]: 'true', 'service.kubernetes.io/tke-existed-lbid': 'lb-abc' } }),
      ingress({ annotations: { [ING_SUBNET]: 12345678 } }),
    ]);
    expect(messages(report.findings, RULE)).toEqual([
      'Service a has service.kubernetes.io/tke-existed-lbid: "lb-abc", which does not look like lb-xxxxxxxx (8 lowercase letters or digits)',
      'Ingress shop has kubernetes.io/ingress.subnetId: 12345678, which does not look like subnet-xxxxxxxx (8 lowercase letters or digits)',
    ]);
  });

  test('non-compliant: a malformed id in the legacy service.kubernetes.io/loadbalance-id', () => {
    const report = LoopbackChecker.check([
      privateService({ name: 'a', annotations: { [PREVENT]: 'true', 'service.kubernetes.io/loadbalance-id': 'LB-ABCD1234' } }),
      privateService({ name: 'b', annotations: { [PREVENT]: 'true', 'service.kubernetes.io/loadbalance-id': 'lb-abcd1234' } }),
    ]);
    expect(messages(report.findings, RULE)).toEqual([
      'Service a has service.kubernetes.io/loadbalance-id: "LB-ABCD1234", which does not look like lb-xxxxxxxx (8 lowercase letters or digits)',
    ]);
  });

  test('compliant: an Ingress with a well-formed subnet id and CLB id', () => {
    const report = LoopbackChecker.check([
      ingress({ annotations: { [ING_SUBNET]: 'subnet-0a1b2c3d', 'kubernetes.io/ingress.existLbId': 'lb-0a1b2c3d' } }),
    ]);
    expect(briefs(report.findings, RULE)).toEqual([]);
  });
});
