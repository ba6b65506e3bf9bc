import { ingressListeners, renderDomains, renderL7Listeners } from '../../src/ingress/listeners';
import {
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesForwardType as ForwardType,
  TkeServiceConfigSpecLoadBalancerL7ListenersDomainsRulesScheduler as Scheduler,
} from '../../src/tke/imports/cloud.tencent.com';

describe('ingressListeners', () => {
  test('without listen-ports: HTTP 80, plus HTTPS 443 only with TLS', () => {
    expect(ingressListeners(undefined, false)).toEqual({ listeners: [{ protocol: 'HTTP', port: 80 }] });
    expect(ingressListeners(undefined, true)).toEqual({ listeners: [{ protocol: 'HTTP', port: 80 }, { protocol: 'HTTPS', port: 443 }] });
  });

  test('listen-ports replaces the defaults, TLS or not', () => {
    const declared = '[{"HTTP":8080},{"HTTPS":8443}]';
    const expected = [{ protocol: 'HTTP', port: 8080 }, { protocol: 'HTTPS', port: 8443 }];
    expect(ingressListeners(declared, false).listeners).toEqual(expected);
    expect(ingressListeners(declared, true).listeners).toEqual(expected);
  });

  test('a malformed listen-ports gives a problem quoting the value, no listeners', () => {
    const result = ingressListeners('[{"HTTP":0}]', true);
    expect(result.listeners).toBeUndefined();
    expect(result.problem).toMatch(/port 0/);
  });
});

describe('renderL7Listeners', () => {
  const HTTP = { protocol: 'HTTP' as const, port: 80 };
  const HTTPS = { protocol: 'HTTPS' as const, port: 443 };

  test('keepalive on every listener, in the given order; no domains without per-rule settings', () => {
    const out = renderL7Listeners([HTTPS, HTTP], [{ host: 'a.example.com', path: '/', options: {} }]);
    expect(out).toEqual([
      { protocol: 'HTTPS', port: 443, keepaliveEnable: 1 },
      { protocol: 'HTTP', port: 80, keepaliveEnable: 1 },
    ]);
    expect(Object.keys(out[0])).toEqual(['protocol', 'port', 'keepaliveEnable']);
  });

  test('a rule with settings goes under every listener, in its host\'s domain', () => {
    const rules = [{ host: 'a.example.com', path: '/api', options: { scheduler: Scheduler.LEAST_UNDERSCORE_CONN } }];
    const out = renderL7Listeners([HTTP, HTTPS], rules);
    const domains = [{ domain: 'a.example.com', rules: [{ url: '/api', scheduler: 'LEAST_CONN' }] }];
    expect(out).toEqual([
      { protocol: 'HTTP', port: 80, keepaliveEnable: 1, domains },
      { protocol: 'HTTPS', port: 443, keepaliveEnable: 1, domains },
    ]);
  });

  test('no listeners, nothing rendered', () => {
    expect(renderL7Listeners([], [{ path: '/', options: { forwardType: ForwardType.HTTPS } }])).toEqual([]);
  });
});

describe('renderDomains', () => {
  test('one domain per host in order of first appearance; a hostless rule is domain ""; rules without settings left out', () => {
    const out = renderDomains([
      { host: 'b.example.com', path: '/', options: { forwardType: ForwardType.HTTPS } },
      { path: '/vip', options: { session: { enable: true, sessionExpireTime: 60 } } },
      { host: 'a.example.com', path: '/plain', options: {} },
      { host: 'b.example.com', path: '/x', options: { healthCheck: { enable: false } } },
    ]);
    expect(out).toEqual([
      { domain: 'b.example.com', rules: [{ url: '/', forwardType: 'HTTPS' }, { url: '/x', healthCheck: { enable: false } }] },
      { domain: '', rules: [{ url: '/vip', session: { enable: true, sessionExpireTime: 60 } }] },
    ]);
  });

  test('rule keys in a fixed order (url, forwardType, session, healthCheck, scheduler), settings copied', () => {
    const healthCheck = { enable: true, intervalTime: 10 };
    const [domain] = renderDomains([{
      host: 'a.example.com',
      path: '/',
      options: { scheduler: Scheduler.WRR, healthCheck, session: { enable: false }, forwardType: ForwardType.HTTP },
    }]);
    expect(Object.keys(domain.rules![0])).toEqual(['url', 'forwardType', 'session', 'healthCheck', 'scheduler']);
    expect(domain.rules![0].healthCheck).toEqual(healthCheck);
    expect(domain.rules![0].healthCheck).not.toBe(healthCheck);
  });
});
