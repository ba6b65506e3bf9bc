import { parseListenPorts } from '../../src/tke/listen-ports';

describe('parseListenPorts', () => {
  test('reads the listeners in order', () => {
    expect(parseListenPorts('[{"HTTP": 8080}, {"HTTPS": 8443}]')).toEqual({
      listeners: [{ protocol: 'HTTP', port: 8080 }, { protocol: 'HTTPS', port: 8443 }],
    });
  });

  test.each([
    ['not json', /not valid JSON/],
    ['[]', /non-empty JSON array/],
    ['{"HTTP": 80}', /non-empty JSON array/],
    ['[{"TCP": 80}]', /protocol "TCP"/],
    ['[{"HTTP": 80, "HTTPS": 443}]', /exactly one key/],
    ['[{"HTTP": "80"}]', /port "80"/],
    ['[{"HTTP": 0}]', /port 0/],
    ['[{"HTTP": 65536}]', /port 65536/],
    ['[{"HTTP": 80}, {"HTTPS": 80}]', /declared twice/],
    ['[null]', /entry 0 must be an object/],
  ])('refuses %s, quoting the value', (value, why) => {
    const r = parseListenPorts(value);
    expect(r.listeners).toBeUndefined();
    expect(r.problem).toMatch(why);
    expect(r.problem).toContain(JSON.stringify(value));
  });

  test('refuses a value that is not a string', () => {
    expect(parseListenPorts(8080).problem).toMatch(/must be a string/);
  });
});
