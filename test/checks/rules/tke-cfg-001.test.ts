import { LoopbackChecker } from '../../../src';
import { briefs, messages, serviceConfig } from '../manifests';

const RULE = 'TKE-CFG-001';

function problems(loadBalancer: any): string[] {
  return messages(LoopbackChecker.check([serviceConfig('cfg', loadBalancer, 'shop')]).findings, RULE).map((m) =>
    m.replace('TkeServiceConfig shop/cfg: ', ''),
  );
}

describe(RULE, () => {
  describe('health-check interval (CLB API 214/30681: 2-300 on IPv4 CLBs)', () => {
    const hc = (intervalTime: number) => ({ l4Listeners: [{ protocol: 'TCP', port: 80, healthCheck: { enable: true, intervalTime, timeout: 2 } }] });
    test('an interval of 3 is accepted by the checker (TKE\'s page says 5-300, the CLB API 2-300)', () => {
      expect(problems(hc(3))).toEqual([]);
    });
    test('an interval of 1 is reported', () => {
      expect(problems(hc(1))).toEqual([
        'spec.loadBalancer.l4Listeners[0].healthCheck.intervalTime is 1: must be from 2 to 300',
        'spec.loadBalancer.l4Listeners[0].healthCheck.timeout is 2 and spec.loadBalancer.l4Listeners[0].healthCheck.intervalTime is 1: timeout must be less than intervalTime',
      ]);
    });
  });

  describe('layer-7 rule scheduler', () => {
    const rule = (scheduler: string) => ({ l7Listeners: [{ protocol: 'HTTP', port: 80, domains: [{ domain: '', rules: [{ url: '/', scheduler }] }] }] });
    test('IP_HASH is accepted on a layer-7 rule (CLB API 214/30681)', () => {
      expect(problems(rule('IP_HASH'))).toEqual([]);
    });
    test('an unknown scheduler lists WRR, LEAST_CONN and IP_HASH once each', () => {
      expect(problems(rule('RR'))).toEqual([
        'spec.loadBalancer.l7Listeners[0].domains[0].rules[0].scheduler is "RR": must be one of "WRR", "LEAST_CONN", "IP_HASH"',
      ]);
    });
  });

  describe('non-compliant', () => {
    test('each finding names the object, field path and value', () => {
      const report = LoopbackChecker.check([serviceConfig('cfg', { l4Listeners: [{ protocol: 'TCP', port: 70000 }] }, 'shop')]);
      expect(briefs(report.findings, RULE)).toEqual([
        { ruleId: RULE, level: 'error', kind: 'TkeServiceConfig', name: 'cfg', namespace: 'shop', manifestIndex: 0 },
      ]);
      expect(messages(report.findings, RULE)).toEqual(['TkeServiceConfig shop/cfg: spec.loadBalancer.l4Listeners[0].port is 70000: must be from 1 to 65535']);
    });

    test('L4 ranges, enums and required fields', () => {
      expect(
        problems({
          internetMaxBandwidthOut: 4096,
          l4Listeners: [
            {
              protocol: 'HTTP',
              session: { sessionExpireTime: 10 },
              healthCheck: { enable: 'yes', intervalTime: 400, healthNum: 1, unHealthNum: 11, timeout: 61 },
              scheduler: 'RR',
            },
          ],
        }),
      ).toEqual([
        'spec.loadBalancer.internetMaxBandwidthOut is 4096: must be from 0 to 2048',
        'spec.loadBalancer.l4Listeners[0].protocol is "HTTP": must be one of "TCP", "UDP"',
        'spec.loadBalancer.l4Listeners[0].port is missing: it is required (1 to 65535)',
        'spec.loadBalancer.l4Listeners[0].session.enable is missing: it is required (true or false)',
        'spec.loadBalancer.l4Listeners[0].session.sessionExpireTime is 10: must be from 30 to 3600',
        'spec.loadBalancer.l4Listeners[0].healthCheck.enable is "yes": must be true or false',
        'spec.loadBalancer.l4Listeners[0].healthCheck.intervalTime is 400: must be from 2 to 300',
        'spec.loadBalancer.l4Listeners[0].healthCheck.healthNum is 1: must be from 2 to 10',
        'spec.loadBalancer.l4Listeners[0].healthCheck.unHealthNum is 11: must be from 2 to 10',
        'spec.loadBalancer.l4Listeners[0].healthCheck.timeout is 61: must be from 2 to 60',
        'spec.loadBalancer.l4Listeners[0].scheduler is "RR": must be one of "WRR", "LEAST_CONN"',
      ]);
    });

    test('timeout must be less than intervalTime, with Tencent\'s defaults 2 and 5', () => {
      const hc = (healthCheck: any) => ({ l4Listeners: [{ protocol: 'TCP', port: 80, healthCheck: { enable: true, ...healthCheck } }] });
      expect(problems(hc({ timeout: 5 }))).toEqual([
        'spec.loadBalancer.l4Listeners[0].healthCheck.timeout is 5 and spec.loadBalancer.l4Listeners[0].healthCheck.intervalTime is 5 (default): timeout must be less than intervalTime',
      ]);
      expect(problems(hc({ intervalTime: 5, timeout: 6 }))).toEqual([
        'spec.loadBalancer.l4Listeners[0].healthCheck.timeout is 6 and spec.loadBalancer.l4Listeners[0].healthCheck.intervalTime is 5: timeout must be less than intervalTime',
      ]);
      expect(problems(hc({ timeout: 10, intervalTime: 10 }))).toEqual([
        'spec.loadBalancer.l4Listeners[0].healthCheck.timeout is 10 and spec.loadBalancer.l4Listeners[0].healthCheck.intervalTime is 10: timeout must be less than intervalTime',
      ]);
    });

    test('L7 listener, domain and rule fields', () => {
      expect(
        problems({
          l7Listeners: [
            {
              protocol: 'TCP',
              port: 1.5,
              keepaliveEnable: 2,
              domains: [
                {
                  domain: 7,
                  rules: [
                    {
                      url: '/',
                      forwardType: 'FTP',
                      session: { enable: true, sessionExpireTime: 3601 },
                      healthCheck: { enable: true, httpCode: 32, httpCheckMethod: 'POST', sourceIpType: 2 },
                    },
                    'not-a-rule',
                  ],
                },
              ],
            },
          ],
        }),
      ).toEqual([
        'spec.loadBalancer.l7Listeners[0].protocol is "TCP": must be one of "HTTP", "HTTPS"',
        'spec.loadBalancer.l7Listeners[0].port is 1.5: must be an integer from 1 to 65535',
        'spec.loadBalancer.l7Listeners[0].keepaliveEnable is 2: must be one of 0, 1',
        'spec.loadBalancer.l7Listeners[0].domains[0].domain is 7: must be a string',
        'spec.loadBalancer.l7Listeners[0].domains[0].rules[0].forwardType is "FTP": must be one of "HTTP", "HTTPS", "GRPC"',
        'spec.loadBalancer.l7Listeners[0].domains[0].rules[0].session.sessionExpireTime is 3601: must be from 30 to 3600',
        'spec.loadBalancer.l7Listeners[0].domains[0].rules[0].healthCheck.httpCheckMethod is "POST": must be one of "HEAD", "GET"',
        'spec.loadBalancer.l7Listeners[0].domains[0].rules[0].healthCheck.httpCode is 32: must be from 1 to 31',
        'spec.loadBalancer.l7Listeners[0].domains[0].rules[0].healthCheck.sourceIpType is 2: must be one of 0, 1',
        'spec.loadBalancer.l7Listeners[0].domains[0].rules[1] is "not-a-rule": must be an object',
      ]);
    });

    test('wrong types where maps and lists belong, and duplicate listeners', () => {
      expect(problems({ l4Listeners: 'TCP:80', l7Listeners: [{ protocol: 'HTTP', port: 80 }, { protocol: 'HTTP', port: 80 }] })).toEqual([
        'spec.loadBalancer.l4Listeners is "TCP:80": must be a list',
        'spec.loadBalancer.l7Listeners[1] repeats protocol "HTTP" and port 80 of spec.loadBalancer.l7Listeners[0]: each listener may appear once',
      ]);
      const report = LoopbackChecker.check([{ ...serviceConfig('cfg', {}), spec: [] }]);
      expect(messages(report.findings, RULE)).toEqual(['TkeServiceConfig cfg: spec is []: must be an object']);
    });

    test.each([0, 32])('httpCode %d is out of 1-31', (httpCode) => {
      const lb = { l7Listeners: [{ protocol: 'HTTP', port: 80, domains: [{ domain: '', rules: [{ url: '/', healthCheck: { enable: true, httpCode } }] }] }] };
      expect(problems(lb)).toEqual([`spec.loadBalancer.l7Listeners[0].domains[0].rules[0].healthCheck.httpCode is ${httpCode}: must be from 1 to 31`]);
    });
  });

  describe('compliant', () => {
    test('every field at its limits', () => {
      const healthCheck = { enable: true, intervalTime: 300, healthNum: 10, unHealthNum: 2, timeout: 60 };
      const report = LoopbackChecker.check([
        serviceConfig('cfg', {
          internetMaxBandwidthOut: 0,
          l4Listeners: [
            { protocol: 'TCP', port: 1, session: { enable: true, sessionExpireTime: 30 }, healthCheck, scheduler: 'WRR' },
            { protocol: 'UDP', port: 65535, session: { enable: false, sessionExpireTime: 3600 }, healthCheck: { enable: false } },
          ],
          l7Listeners: [
            {
              protocol: 'HTTPS',
              port: 443,
              defaultServer: 'shop.example.com',
              keepaliveEnable: 1,
              domains: [
                {
                  domain: '',
                  rules: [
                    {
                      url: '/',
                      forwardType: 'GRPC',
                      scheduler: 'LEAST_CONN',
                      healthCheck: { ...healthCheck, httpCode: 31, httpCheckMethod: 'HEAD', httpCheckPath: '/healthz', httpCheckDomain: 'x', sourceIpType: 1 },
                    },
                    { url: '/a', healthCheck: { enable: true, httpCode: 1, sourceIpType: 0, httpCheckMethod: 'GET' } },
                  ],
                },
              ],
            },
          ],
        }),
      ]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });

    test('a config with no spec or no loadBalancer is left alone', () => {
      const report = LoopbackChecker.check([{ apiVersion: 'cloud.tencent.com/v1alpha1', kind: 'TkeServiceConfig', metadata: { name: 'x' } }, serviceConfig('y', undefined)]);
      expect(briefs(report.findings, RULE)).toEqual([]);
    });
  });
});
