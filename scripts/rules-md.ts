/**
 * Writes RULES.md from the checker's rule registry (`LoopbackChecker.rules()`).
 * Usage: ts-node --transpile-only scripts/rules-md.ts [--check]
 * With --check it writes nothing and exits 1 when RULES.md is stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LoopbackChecker, LoopbackRuleInfo } from '../src';

/** Where the generated file lives. */
export const RULES_MD = path.join(__dirname, '..', 'RULES.md');

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Renders the rule list as Markdown. */
export function renderRulesMarkdown(rules: LoopbackRuleInfo[]): string {
  const lines: string[] = [
    '<!-- Generated from the rule registry by `npx projen rules-md`. Do not edit by hand. -->',
    '# Loopback checker rules',
    '',
    'Every rule of `LoopbackChecker` (and of the `cdk8s-tke-loopback check` command), ordered by id.',
    'An `error` means loopback will happen or TKE rejects the configuration; a `warning` means loopback',
    'may happen or a protection is weaker than it looks. A rule whose findings vary in level lists the highest.',
    '',
    'Suppress a finding with an annotation on the object it is about:',
    '`cdk8s-tke-loopback/suppress: "<RULE-ID>=<reason of 10 characters or more>[,<RULE-ID>=<reason>...]"`.',
    'Findings of TKE-SUP and TKE-INT rules cannot be suppressed.',
    '',
    'Objects are matched within one namespace; an object without `metadata.namespace` counts as being in `default`,',
    'except that a TkeServiceConfig binding where only one side sets a namespace is a TKE-L7-002 warning (it depends',
    'on the namespace the objects are applied to, as with `helm install -n`). A list (`kind: List`, or a `*List` kind',
    'with `items`, as `kubectl get -o yaml` prints) is checked item by item.',
    '',
    'The layer-4 rules (TKE-L4-*) judge loopback that happens in kube-proxy\'s IPVS mode (TKE\'s). When the checked set',
    'shows kube-proxy in iptables mode, or `--proxy-mode iptables` says so, they do not run and the report says why.',
    'Upstream Kubernetes deprecates IPVS mode from 1.35 (https://kubernetes.io/docs/reference/networking/virtual-ips/).',
    'An object that reuses an existing CLB is judged as private only when that is declared (see TKE-CLB-001).',
    '',
    '| Id | Level | Cause |',
    '|---|---|---|',
    ...rules.map((r) => `| [${r.id}](#${r.id.toLowerCase()}) | ${r.level} | ${cell(r.cause)} |`),
    '',
  ];
  for (const r of rules) {
    lines.push(`## ${r.id}`, '', `**Level:** ${r.level}`, '', `**Cause:** ${r.cause}`, '', r.explanation, '', `**Fix:** ${r.fix}`, '');
  }
  return lines.join('\n');
}

function main(argv: string[]): number {
  const text = renderRulesMarkdown(LoopbackChecker.rules());
  if (argv.includes('--check')) {
    const current = fs.existsSync(RULES_MD) ? fs.readFileSync(RULES_MD, 'utf8') : '';
    if (current !== text) {
      console.error('RULES.md is stale: run npx projen rules-md');
      return 1;
    }
    return 0;
  }
  fs.writeFileSync(RULES_MD, text);
  console.log(`wrote ${path.relative(process.cwd(), RULES_MD)} (${LoopbackChecker.rules().length} rules)`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
