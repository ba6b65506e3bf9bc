/**
 * Benchmark 4: LoopbackChecker.check on a 10,000-object manifest set (Services, Deployments, Ingresses,
 * TkeServiceConfigs, a kube-proxy DaemonSet and a coredns ConfigMap), parsing included, against
 * `yaml.parseAllDocuments` of the same text: the floor, since any check must read its input.
 */
import * as YAML from 'yaml';
import { LoopbackChecker } from '../src';
import { compare, median, ratioFigure, report, timeOnce, writeResults } from './harness';
import { manifestYaml } from './manifest-set';

const OBJECTS = 10_000;
const text = manifestYaml(OBJECTS);

const parseAndCheck = () => LoopbackChecker.check(YAML.parseAllDocuments(text).map((d) => d.toJS()));
const parseOnly = () => YAML.parseAllDocuments(text);

const r = compare(parseAndCheck, parseOnly);

// The check alone, on already parsed objects, for the throughput figure.
const manifests = YAML.parseAllDocuments(text).map((d) => d.toJS());
const findings = LoopbackChecker.check(manifests).findings.length;
const checkOnly = median([0, 1, 2, 3, 4].map(() => timeOnce(() => LoopbackChecker.check(manifests))));

writeResults('checker', [
  ratioFigure(`checker: parse + check / parse alone, ${OBJECTS} objects (${findings} findings)`, r.candidateMs, r.baselineMs, 'ms', 1.5),
  report({ name: 'checker: check alone, objects per second', value: OBJECTS / (checkOnly / 1000), unit: 'objects/s', ratio: checkOnly / r.baselineMs }),
]);
