/**
 * Benchmarks 1 and 3 (services): N Deployments with a LoopbackSafeService (preventLoopback, private subnet) against
 * the same Deployments with a plain kplus.Service carrying the same ports and annotations; synth time at N = 1000 (warm,
 * in one process, and cold, in fresh processes), peak memory, and scaling from N = 1000 to N = 5000.
 */
import { coldRatio, compare, memoryRatio, ratioFigure, writeResults } from './harness';
import { oursServices, plainServices } from './synth';

// N=1000 runs are short, so take more of them for a stable median.
const small = compare(() => oursServices(1000), () => plainServices(1000), { runs: 11 });
// The N=1000 rounds above warmed up the same code paths.
const large = compare(() => oursServices(5000), () => plainServices(5000), { warmup: 0 });
const memory = memoryRatio('oursServices', 'plainServices', 1000);
// The synth of `cdk8s synth`: once, in a fresh process, nothing warmed up; 11 processes per side, alternating.
const cold = coldRatio('oursServices', 'plainServices', 1000);

writeResults('services', [
  ratioFigure('services: synth time, N=1000, LoopbackSafeService / plain kplus.Service', small.candidateMs, small.baselineMs, 'ms', 1.1),
  ratioFigure('services: cold synth time (fresh process), N=1000, LoopbackSafeService / plain kplus.Service', cold.candidateMs, cold.baselineMs, 'ms', 1.1),
  ratioFigure('services: peak memory growth, N=1000, LoopbackSafeService / plain kplus.Service', memory.candidate / 2 ** 20, memory.baseline / 2 ** 20, 'MiB', 1.2),
  ratioFigure('services: scaling, LoopbackSafeService, time(N=5000) / time(N=1000)', large.candidateMs, small.candidateMs, 'ms', 5.5),
  ratioFigure('services: scaling, plain kplus.Service, time(N=5000) / time(N=1000)', large.baselineMs, small.baselineMs, 'ms', 5.5),
]);
