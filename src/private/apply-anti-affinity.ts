import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { workloadOf } from './plus-compat';

/**
 * The weight of the preferred anti-affinity terms: the strongest that Kubernetes allows (1–100), so
 * that the scheduler weighs separation above any default preference.
 */
export const PREFERRED_ANTI_AFFINITY_WEIGHT = 100;

/** Pairs (workload → workloads it is already kept apart from), so that no term is added twice. */
const separated = new WeakMap<kplus.Workload, Map<kplus.Workload, boolean>>();

/**
 * Keeps `a` off the nodes that run `b`, on topology `kubernetes.io/hostname`, through the cdk8s-plus
 * scheduling API: `requiredDuringScheduling…` when `required`, otherwise a preferred term of weight
 * `PREFERRED_ANTI_AFFINITY_WEIGHT`. Idempotent for the same pair and mode, so two Services that share a
 * strategy do not duplicate the terms.
 */
function separateOneWay(a: kplus.Workload, b: kplus.Workload, required: boolean): void {
  let done = separated.get(a);
  if (!done) {
    done = new Map();
    separated.set(a, done);
  }
  const previous = done.get(b);
  // Already required, or already preferred and only preferred asked for: nothing to add. A required
  // term after a preferred one makes the preferred one redundant but harmless; it stays.
  if (previous === true || (previous === false && !required)) return;
  a.scheduling.separate(b, {
    topology: kplus.Topology.HOSTNAME,
    weight: required ? undefined : PREFERRED_ANTI_AFFINITY_WEIGHT,
  });
  done.set(b, required);
}

/**
 * Pod anti-affinity both ways between `server` and every client: neither can be scheduled onto a node
 * that runs the other.
 */
export function separateBothWays(server: IConstruct, clients: ReadonlyArray<IConstruct>, required: boolean): void {
  const s = workloadOf(server, 'server');
  clients.forEach((c, i) => {
    const client = workloadOf(c, `clients[${i}]`);
    separateOneWay(s, client, required);
    separateOneWay(client, s, required);
  });
}
