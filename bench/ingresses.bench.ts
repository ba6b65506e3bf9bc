/**
 * Benchmarks 2 and 3 (ingresses): N LoopbackSafeIngress with TLS and two rules against N plain kplus.Ingress plus a
 * hand-written TkeServiceConfig each, with the same content; synth time at N = 1000 (warm, in one process, and cold,
 * in fresh processes), peak memory, and scaling from N = 1000 to N = 5000.
 */
import { coldRatio, compare, memoryRatio, ratioFigure, writeResults } from './harness';
import { oursIngresses, plainIngresses } from './synth';

// N=1000 runs are short, so take more of them for a stable median.
const small = compare(() => oursIngresses(1000), () => plainIngresses(1000), { runs: 11 });
// The N=1000 rounds above warmed up the same code paths.
const large = compare(() => oursIngresses(5000), () => plainIngresses(5000), { warmup: 0 });
const memory = memoryRatio('oursIngresses', 'plainIngresses', 1000);
// The synth of `cdk8s synth`: once, in a fresh process, nothing warmed up; 11 processes per side, alternating.
const cold = coldRatio('oursIngresses', 'plainIngresses', 1000);

writeResults('ingresses', [
  ratioFigure('ingresses: synth time, N=1000, LoopbackSafeIngress / plain kplus.Ingress + TkeServiceConfig', small.candidateMs, small.baselineMs, 'ms', 1.1),
  ratioFigure('ingresses: cold synth time (fresh process), N=1000, LoopbackSafeIngress / plain kplus.Ingress + TkeServiceConfig', cold.candidateMs, cold.baselineMs, 'ms', 1.1),
  ratioFigure('ingresses: peak memory growth, N=1000, LoopbackSafeIngress / plain', memory.candidate / 2 ** 20, memory.baseline / 2 ** 20, 'MiB', 1.2),
  ratioFigure('ingresses: scaling, LoopbackSafeIngress, time(N=5000) / time(N=1000)', large.candidateMs, small.candidateMs, 'ms', 5.5),
  ratioFigure('ingresses: scaling, plain, time(N=5000) / time(N=1000)', large.baselineMs, small.baselineMs, 'ms', 5.5),
]);
