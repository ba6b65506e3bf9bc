/**
 * Property tests of fix mode on generated manifest sets with comments and odd formatting: idempotence,
 * untouched documents byte for byte, changed documents changed only in edited lines, the same result as
 * the library, and a check that finds nothing fixable afterwards.
 */
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { documentSlices, lineDiff, linePrefix } from './yaml-helpers';
import { LoopbackChecker, LoopbackFixer } from '../../src';
import { fixSources } from '../../src/fix/sources';
import { sameValue } from '../../src/fix/yaml-patch';
import { CLB_NETWORK, EXIST_LB, EXISTED_LB, LISTEN_PORTS, PREVENT, privateIngress, privateService, serviceConfig, workload } from '../checks/manifests';

const NAMESPACES = ['shop', 'pay'];

/** One generated group of objects (a Service, an Ingress with or without its config, or a bystander). */
const group = fc.oneof(
  fc.record({
    type: fc.constant('service' as const),
    prevent: fc.constantFrom(undefined, 'true', 'True', true, 'yes', 'on'),
  }),
  fc.record({
    type: fc.constant('ingress' as const),
    tls: fc.boolean(),
    binding: fc.constantFrom('none', 'bound'),
    listeners: fc.subarray(['HTTP:80', 'HTTPS:443', 'HTTP:8080', 'HTTPS:8443']),
    keepalive: fc.constantFrom(undefined, 0, 1),
    // ingress.cloud.tencent.com/listen-ports: absent, or a set of custom listeners (which replaces 80/443).
    listenPorts: fc.option(fc.uniqueArray(fc.constantFrom('HTTP:80', 'HTTP:8080', 'HTTPS:443', 'HTTPS:8443', 'HTTP:9000'), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    // A reused CLB, declared private by the annotation or by privateClbIds (lb-decl0001), instead of a subnet.
    clb: fc.constantFrom('subnet', 'annotation', 'declared'),
  }),
  fc.record({
    type: fc.constant('reused-service' as const),
    clb: fc.constantFrom('annotation', 'declared', 'public'),
  }),
  fc.record({ type: fc.constant('bystander' as const), kind: fc.constantFrom('ConfigMap', 'Deployment') }),
);

function objectsOf(groups: Array<any>, namespaces: string[]): any[] {
  const out: any[] = [];
  groups.forEach((g, i) => {
    const namespace = namespaces[i % namespaces.length];
    const name = `o${i}`;
    if (g.type === 'service') {
      out.push(privateService({ name, namespace, ...(g.prevent !== undefined ? { annotations: { [PREVENT]: g.prevent } } : {}) }));
    } else if (g.type === 'reused-service') {
      const id = g.clb === 'public' ? 'lb-publ0001' : 'lb-decl0001';
      out.push(privateService({ name, namespace }));
      const svc = out[out.length - 1];
      svc.metadata.annotations = { [EXISTED_LB]: id, ...(g.clb === 'annotation' ? { [CLB_NETWORK]: 'private' } : {}) };
    } else if (g.type === 'ingress') {
      const listenPorts = g.listenPorts === undefined ? {} : {
        [LISTEN_PORTS]: JSON.stringify(g.listenPorts.map((l: string) => ({ [l.split(':')[0]]: Number(l.split(':')[1]) }))),
      };
      const ing = privateIngress({ name, namespace, tls: g.tls, ...(g.binding === 'bound' ? { config: `${name}-cfg` } : {}), annotations: listenPorts });
      if (g.clb !== 'subnet') {
        delete ing.metadata.annotations['kubernetes.io/ingress.subnetId'];
        ing.metadata.annotations[EXIST_LB] = 'lb-decl0001';
        if (g.clb === 'annotation') ing.metadata.annotations[CLB_NETWORK] = 'private';
      }
      out.push(ing);
      if (g.binding === 'bound') {
        out.push(serviceConfig(`${name}-cfg`, {
          l7Listeners: g.listeners.map((l: string) => {
            const [protocol, port] = l.split(':');
            return { protocol, port: Number(port), ...(g.keepalive !== undefined ? { keepaliveEnable: g.keepalive } : {}) };
          }),
        }, namespace));
      }
    } else if (g.kind === 'ConfigMap') {
      out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { 'app.conf': 'a: b', 'flag': 'true' } });
    } else {
      out.push(workload({ name, namespace }));
    }
  });
  return out;
}

/** How one set is written: YAML options and the odd formatting added to it. */
const style = fc.record({
  indent: fc.constantFrom(2, 4),
  indentSeq: fc.boolean(),
  stringType: fc.constantFrom('PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE') as fc.Arbitrary<'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE'>,
  flowAnnotations: fc.boolean(),
  comments: fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
  spaces: fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
  leadingSeparator: fc.boolean(),
  separatorComment: fc.boolean(),
  finalNewline: fc.boolean(),
  asList: fc.boolean(),
});

function render(objects: any[], s: any): string {
  let lineNo = 0;
  // As `kubectl get -o yaml` prints them: one kind: List document.
  const documents = s.asList ? [{ apiVersion: 'v1', kind: 'List', items: objects }] : objects;
  const docs = documents.map((o, i) => {
    const doc = new YAML.Document(o);
    if (s.flowAnnotations) {
      const paths = s.asList ? objects.map((_, j) => ['items', j, 'metadata', 'annotations']) : [['metadata', 'annotations']];
      for (const p of paths) {
        const annotations = doc.getIn(p, true);
        if (YAML.isMap(annotations)) annotations.flow = true;
      }
    }
    doc.commentBefore = ` object ${i}`;
    const text = doc.toString({ indent: s.indent, indentSeq: s.indentSeq, defaultStringType: s.stringType, defaultKeyType: 'PLAIN', lineWidth: 0 });
    return text.split('\n').map((line) => {
      lineNo++;
      if (line === '' || line.startsWith('#')) return line;
      let l = line;
      if (s.spaces[lineNo % s.spaces.length]) l = l.replace(/^(\s*(?:- )?[A-Za-z][\w./-]*):( )(?=\S)/, '$1:   ');
      if (s.comments[lineNo % s.comments.length]) l = `${l}  # note ${lineNo}`;
      return l;
    }).join('\n');
  });
  const sep = s.separatorComment ? '--- # next\n' : '---\n';
  const text = (s.leadingSeparator ? sep : '') + docs.join(sep);
  return s.finalNewline ? text : text.replace(/\n+$/, '');
}

/** The CLB declarations of every run: lb-decl0001 is private, lb-publ0001 public. */
const DECLARED = { privateClbIds: ['lb-decl0001'], publicClbIds: ['lb-publ0001'] };

function fix(text: string): string {
  return fixSources([{ name: 'set.yaml', text }], DECLARED).outputs[0].text;
}

const FIXABLE = LoopbackFixer.fixableRules();

describe('fix mode properties', () => {
  test('GIVEN generated manifest sets with comments and odd formatting THEN fix is idempotent, keeps untouched documents and leaves nothing fixable', () => {
    fc.assert(
      fc.property(fc.array(group, { minLength: 1, maxLength: 8 }), style, (groups, s) => {
        const objects = objectsOf(groups, NAMESPACES);
        const input = render(objects, s);
        const output = fix(input);

        // fix(fix(x)) == fix(x), byte for byte.
        expect(fix(output)).toEqual(output);

        // The YAML layer and the library agree.
        const outDocs = documentSlices(output);
        expect(outDocs.map((d) => d.value)).toEqual(LoopbackFixer.fix(documentSlices(input).map((d) => d.value), DECLARED).manifests);

        // Untouched documents keep every byte; changed ones differ only in the lines that were edited.
        const inDocs = documentSlices(input);
        const original = outDocs.filter((d) => !(d.value.kind === 'TkeServiceConfig' && /-loopback$/.test(d.value.metadata.name)));
        if (s.asList) expect(outDocs).toHaveLength(1);
        expect(original).toHaveLength(inDocs.length);
        inDocs.forEach((d, i) => {
          if (sameValue(d.value, original[i].value)) {
            expect(original[i].text).toEqual(d.text);
            return;
          }
          const diff = lineDiff(d.text.replace(/\n$/, ''), original[i].text.replace(/\n$/, ''));
          const addedPrefixes = new Set(diff.added.map(linePrefix));
          expect(diff.removed.length).toBeLessThanOrEqual(diff.added.length);
          for (const removed of diff.removed) expect(addedPrefixes.has(linePrefix(removed))).toBe(true);
        });

        // After fix, check (with the same declarations) finds nothing that fix mode can fix.
        const after = LoopbackChecker.check(outDocs.map((d) => d.value), DECLARED);
        expect(after.findings.filter((f) => FIXABLE.includes(f.ruleId))).toEqual([]);
        // Every listen-ports listener of a fixed Ingress has keepalive in its config; an added config has exactly those.
        const all = s.asList ? outDocs[0].value.items : outDocs.map((d) => d.value);
        for (const ing of objects.filter((o) => o.kind === 'Ingress' && o.metadata.annotations[LISTEN_PORTS])) {
          const fixedIng = all.find((o: any) => o.kind === 'Ingress' && o.metadata.name === ing.metadata.name);
          const configName = fixedIng.metadata.annotations['ingress.cloud.tencent.com/tke-service-config'];
          const config = all.find((o: any) => o.kind === 'TkeServiceConfig' && o.metadata.name === configName && o.metadata.namespace === ing.metadata.namespace);
          const keepalive = config.spec.loadBalancer.l7Listeners.filter((l: any) => l.keepaliveEnable === 1).map((l: any) => `${l.protocol}:${l.port}`);
          const declared = JSON.parse(ing.metadata.annotations[LISTEN_PORTS]).map((o: any) => `${Object.keys(o)[0]}:${Object.values(o)[0]}`);
          for (const l of declared) expect(keepalive).toContain(l);
          if (configName.endsWith('-loopback')) expect([...keepalive].sort()).toEqual([...declared].sort());
        }
      }),
      { numRuns: 80 },
    );
  });

  test('GIVEN a fixed set WHEN an object is fixed THEN no document that it does not touch changes (one Service among bystanders)', () => {
    fc.assert(
      fc.property(fc.array(group.filter((g) => g.type === 'bystander'), { minLength: 1, maxLength: 6 }), fc.nat(6), style, (bystanders, at, s) => {
        const groups: any[] = [...bystanders];
        groups.splice(Math.min(at, groups.length), 0, { type: 'service', prevent: undefined });
        const input = render(objectsOf(groups, NAMESPACES), { ...s, asList: false });
        const output = fix(input);
        const inDocs = documentSlices(input);
        const outDocs = documentSlices(output);
        const changed = inDocs.map((d, i) => d.text !== outDocs[i].text);
        expect(changed.filter((c) => c)).toHaveLength(1);
        expect(inDocs[changed.indexOf(true)].value.kind).toEqual('Service');
      }),
      { numRuns: 40 },
    );
  });
});
