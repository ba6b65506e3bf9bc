import * as fc from 'fast-check';
import { Corefile, CorefileDirective, RewriteMatch, RewriteRule } from '../../src';

/** A generated Corefile with what the generator knows about it. */
interface Generated {
  readonly text: string;
  readonly blockCount: number;
  /** Line (1-based) of the main block's kubernetes directive. */
  readonly kubernetesLine: number;
  readonly indent: string;
  readonly eol: string;
}

const PLUGINS = ['errors', 'health', 'ready', 'prometheus', 'forward', 'cache', 'log', 'whoami', 'hosts', 'template', 'loop', 'reload', 'my_plugin'];
const word = fc.stringMatching(/^[a-z0-9][a-z0-9._:/=-]{0,11}$/);
// A quoted "{" or "}" alone is a brace to CoreDNS's parser (it compares the unquoted text), so it is
// left out here; braces inside longer quoted strings stay.
const quoted = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '{', '}', '#', '\t', '.', '\\"'), maxLength: 10 })
  .filter((s) => s !== '{' && s !== '}').map((s) => `"${s}"`);
const arg = fc.oneof({ weight: 4, arbitrary: word }, { weight: 1, arbitrary: quoted });
const trailing = fc.constantFrom('', ' ', '\t', '  ', ' # a comment', '\t# {"}');
const filler = fc.constantFrom('', '   ', '\t', '# comment', '    # indented { comment }');

/** Renders a directive as lines (without line endings), at a given indentation. */
type Render = (indent: string, unit: string) => string[];

/** A directive, with nested blocks up to `depth` deep. */
function directiveArb(depth: number): fc.Arbitrary<Render> {
  const sub: fc.Arbitrary<Render[]> = depth > 0 ? fc.array(directiveArb(depth - 1), { minLength: 1, maxLength: 3 }) : fc.constant([]);
  return fc.record({
    name: fc.constantFrom(...PLUGINS),
    args: fc.array(arg, { maxLength: 3 }),
    style: depth > 0 ? fc.constantFrom('none', 'none', 'same-line', 'next-line', 'inline') : fc.constant('none'),
    subs: sub,
    inline: fc.array(word, { minLength: 1, maxLength: 3 }),
    tail: trailing,
  }).map(({ name, args, style, subs, inline, tail }) => (indent: string, unit: string) => {
    const head = [name, ...args].join(' ');
    if (style === 'none' || subs.length === 0) return [`${indent}${head}${tail}`];
    if (style === 'inline') return [`${indent}${head} { ${inline.join(' ')} }${tail}`];
    const inner = subs.flatMap((s) => s(indent + unit, unit));
    const open = style === 'same-line' ? [`${indent}${head} {${tail}`] : [`${indent}${head}`, `${indent}{`];
    return [...open, ...inner, `${indent}}`];
  });
}

const corefileArb: fc.Arbitrary<Generated> = fc.record({
  eol: fc.constantFrom('\n', '\r\n'),
  unit: fc.constantFrom('  ', '    ', '\t'),
  mainKey: fc.constantFrom('.:53', '.', 'dns://.:53'),
  before: fc.array(directiveArb(2), { maxLength: 4 }),
  after: fc.array(directiveArb(2), { maxLength: 4 }),
  kubeArgs: fc.array(word, { maxLength: 3 }),
  // CoreDNS refuses two blocks for the same zone and port, so the other blocks' keys are unique.
  others: fc.uniqueArray(fc.record({
    key: fc.constantFrom('example.com:53', '.:5353', 'in-addr.arpa', 'consul.local:53'),
    body: fc.array(directiveArb(1), { minLength: 1, maxLength: 3 }),
    first: fc.boolean(),
  }), { maxLength: 3, selector: (o) => o.key }),
  fillers: fc.array(filler, { minLength: 8, maxLength: 8 }),
  finalNewline: fc.boolean(),
}).map(({ eol, unit, mainKey, before, after, kubeArgs, others, fillers, finalNewline }) => {
  const lines: string[] = [];
  const block = (key: string, body: string[]) => {
    lines.push(fillers[lines.length % 8], `${key} {`, ...body, '}');
  };
  for (const o of others.filter((x) => x.first)) block(o.key, o.body.flatMap((d) => d(unit, unit)));
  const mainBody = [
    ...before.flatMap((d) => d(unit, unit)),
    fillers[3],
    `${unit}kubernetes ${['cluster.local', ...kubeArgs].join(' ')} {`,
    `${unit}${unit}pods insecure`,
    `${unit}}`,
    ...after.flatMap((d) => d(unit, unit)),
  ];
  block(mainKey, mainBody);
  const kubernetesLine = lines.findIndex((l) => l.startsWith(`${unit}kubernetes `)) + 1;
  for (const o of others.filter((x) => !x.first)) block(o.key, o.body.flatMap((d) => d(unit, unit)));
  const text = lines.join(eol) + (finalNewline ? eol : '');
  return { text, blockCount: others.length + 1, kubernetesLine, indent: unit, eol };
});

/** Lines with their line endings, so that joining them gives the text back. */
const linesOf = (text: string) => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

const summary = (ds: CorefileDirective[]): string[] => ds.map((d) => `${d.name} ${d.args.join(' ')} {${summary(d.subdirectives).join(';')}}`);

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const externalName = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'org', 'cn')).map(([ls, tld]) => [...ls, tld].join('.'));
const serviceName = fc.tuple(label, label).map(([svc, ns]) => `${svc}.${ns}.svc.cluster.local`);
const validRule = fc.tuple(fc.constantFrom(RewriteMatch.EXACT, RewriteMatch.SUFFIX), externalName, serviceName)
  .map(([match, from, to]) => RewriteRule.of(from, to, { match }));
const validRules = fc.uniqueArray(validRule, { minLength: 1, maxLength: 6, selector: (r) => `${r.match.keyword} ${r.from}` });

describe('Corefile properties', () => {
  test('generated Corefiles round-trip byte for byte', () => {
    fc.assert(fc.property(corefileArb, (g) => {
      const corefile = Corefile.parse(g.text);
      expect(corefile.render()).toEqual(g.text);
      expect(corefile.serverBlocks.length).toEqual(g.blockCount);
      expect(corefile.mainServerBlock.directive('kubernetes')!.line).toEqual(g.kubernetesLine);
    }), { numRuns: Number(process.env.FC_RUNS ?? 300) });
  });

  test('removing the inserted lines gives back the original text', () => {
    fc.assert(fc.property(corefileArb, validRules, (g, rules) => {
      // WHEN
      const edited = Corefile.parse(g.text).withRewrites(rules).render();
      // THEN the only new lines sit just before kubernetes, one per rule, indented like it
      const lines = linesOf(edited);
      const at = g.kubernetesLine - 1;
      const inserted = lines.splice(at, rules.length);
      expect(inserted).toEqual(rules.map((r) => `${g.indent}${r.toDirective()}${g.eol}`));
      expect(lines.join('')).toEqual(g.text);
    }), { numRuns: Number(process.env.FC_RUNS ?? 300) });
  });

  test('random FROM/TO give a clear error or exactly the intended rule, and nothing else', () => {
    const injected = fc.tuple(externalName, fc.constantFrom(' ', '\n', '\r\n', '{', '}', '#', '"', "'", '\t', '..', '.-', '\u00a0', '\u0085', ' }\n. {\n'), externalName)
      .map(([a, bad, b]) => `${a}${bad}${b}`);
    const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), externalName, serviceName, injected, label);
    const base = Corefile.tkeDefault();
    const baseBlocks = base.serverBlocks.map((b) => [b.keys, summary(b.directives)]);
    const outcomes = { rejected: 0, accepted: 0 };
    fc.assert(fc.property(anyString, anyString, fc.constantFrom(RewriteMatch.EXACT, RewriteMatch.SUFFIX, RewriteMatch.REGEX, RewriteMatch.SUBSTRING),
      fc.boolean(), (from, to, match, allowExternal) => {
        let edited: Corefile;
        let rule: RewriteRule;
        try {
          rule = RewriteRule.of(from, to, { match });
          rule.checkClusterDomain('cluster.local', allowExternal);
          edited = base.withRewrites([rule]);
        } catch (e) {
          // a clear error: it names FROM or TO and quotes a value
          expect((e as Error).message).toMatch(/^('from'|'to'|a \w+ rewrite \('from') .*"/);
          outcomes.rejected++;
          return;
        }
        const reparsed = Corefile.parse(edited.render());
        expect(reparsed.rewriteRules().map((r) => [r.match, r.from, r.to, r.rewritesAnswer])).toEqual([[match, rule.from, rule.to, true]]);
        // no other server blocks or directives appear
        const blocks = reparsed.serverBlocks.map((b) => [b.keys, summary(b.directives.filter((d) => d.name !== 'rewrite'))]);
        expect(blocks).toEqual(baseBlocks);
        expect(reparsed.mainServerBlock.directives.filter((d) => d.name === 'rewrite').length).toEqual(1);
        outcomes.accepted++;
      }), { numRuns: Number(process.env.FC_RUNS ?? 1000) });
    // both branches were exercised
    expect(outcomes.rejected).toBeGreaterThan(100);
    expect(outcomes.accepted).toBeGreaterThan(20);
  });
});
