import * as kplus from 'cdk8s-plus-27';

const MIN_PORT = 1;
const MAX_PORT = 65535;

/**
 * The problems with the ports of a Service, each naming the prop and quoting the value, or an empty
 * array when they are fine. `prop` is the name the user knows the list by (`ports`).
 *
 * Checked: at least one port; `port`, `targetPort` and `nodePort` are integers from 1 to 65535; no two
 * ports share a port number and protocol; no two ports share a name; every port has a name when there
 * are several (the API server rejects the Service otherwise).
 */
export function servicePortProblems(ports: ReadonlyArray<kplus.ServicePort>, prop: string): string[] {
  if (ports.length === 0) {
    return [`'${prop}' must list at least one port, got []`];
  }
  const problems: string[] = [];
  const seenPorts = new Map<string, number>();
  const seenNames = new Map<string, number>();
  ports.forEach((p, i) => {
    for (const field of ['port', 'targetPort', 'nodePort'] as const) {
      const value = p[field];
      if (field !== 'port' && value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_PORT || value > MAX_PORT) {
        problems.push(`'${prop}[${i}].${field}' must be an integer from ${MIN_PORT} to ${MAX_PORT}, got ${JSON.stringify(value)}`);
      }
    }
    const protocol = p.protocol ?? kplus.Protocol.TCP;
    const key = `${p.port}/${protocol}`;
    const first = seenPorts.get(key);
    if (first !== undefined) {
      problems.push(`'${prop}[${i}].port' repeats ${key} of ${prop}[${first}]: each port and protocol may appear once, got ${JSON.stringify(p.port)}`);
    } else {
      seenPorts.set(key, i);
    }
    if (p.name !== undefined) {
      const firstName = seenNames.get(p.name);
      if (firstName !== undefined) {
        problems.push(`'${prop}[${i}].name' repeats the name of ${prop}[${firstName}], got ${JSON.stringify(p.name)}`);
      } else {
        seenNames.set(p.name, i);
      }
    } else if (ports.length > 1) {
      problems.push(`'${prop}[${i}].name' is required when a Service has more than one port, got undefined`);
    }
  });
  return problems;
}
