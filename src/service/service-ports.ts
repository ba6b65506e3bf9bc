import * as kplus from 'cdk8s-plus-27';
import { describeValue, dns1123LabelProblem } from '../private/k8s-names';

const MIN_PORT = 1;
const MAX_PORT = 65535;
/** The protocols Kubernetes accepts on a Service port. */
const PROTOCOLS: ReadonlyArray<string> = ['TCP', 'UDP', 'SCTP'];

/**
 * The problems with the ports of a Service, each naming the prop and quoting the value, or an empty
 * array when they are fine. `prop` is the name the user knows the list by (`ports`).
 *
 * Checked, as the API server does: a list of at least one port object; `port`, `targetPort` and
 * `nodePort` are integers from 1 to 65535; `protocol` is TCP, UDP or SCTP; no two ports share a port
 * number and protocol, a `nodePort`, or a name; a name is a DNS-1123 label; every port has a name when
 * there are several. Values of the wrong type (from JavaScript or another jsii language) get the same
 * messages.
 */
export function servicePortProblems(ports: ReadonlyArray<kplus.ServicePort>, prop: string): string[] {
  if (!Array.isArray(ports)) {
    return [`'${prop}' must be a list of ports such as [{ port: 80 }], got ${describeValue(ports)}`];
  }
  if (ports.length === 0) {
    return [`'${prop}' must list at least one port, got []`];
  }
  const problems: string[] = [];
  const seenPorts = new Map<string, number>();
  const seenNodePorts = new Map<number, number>();
  const seenNames = new Map<string, number>();
  ports.forEach((p, i) => {
    if (p === null || typeof p !== 'object') {
      problems.push(`'${prop}[${i}]' must be a port object such as { port: 80 }, got ${describeValue(p)}`);
      return;
    }
    for (const field of ['port', 'targetPort', 'nodePort'] as const) {
      const value = p[field];
      if (field !== 'port' && value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_PORT || value > MAX_PORT) {
        problems.push(`'${prop}[${i}].${field}' must be an integer from ${MIN_PORT} to ${MAX_PORT}, got ${describeValue(value)}`);
      }
    }
    const protocol: string = p.protocol ?? kplus.Protocol.TCP;
    if (!PROTOCOLS.includes(protocol)) {
      problems.push(`'${prop}[${i}].protocol' must be one of ${PROTOCOLS.map((x) => JSON.stringify(x)).join(', ')}, got ${describeValue(p.protocol)}`);
    }
    const key = `${p.port}/${protocol}`;
    const first = seenPorts.get(key);
    if (first !== undefined) {
      problems.push(`'${prop}[${i}].port' repeats ${key} of ${prop}[${first}]: each port and protocol may appear once, got ${describeValue(p.port)}`);
    } else {
      seenPorts.set(key, i);
    }
    if (typeof p.nodePort === 'number') {
      const firstNode = seenNodePorts.get(p.nodePort);
      if (firstNode !== undefined) {
        problems.push(`'${prop}[${i}].nodePort' repeats the nodePort of ${prop}[${firstNode}]: the API server rejects a duplicate nodePort, got ${p.nodePort}`);
      } else {
        seenNodePorts.set(p.nodePort, i);
      }
    }
    if (p.name !== undefined) {
      const nameProblem = dns1123LabelProblem(p.name, `${prop}[${i}].name`);
      if (nameProblem) problems.push(nameProblem);
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
