import * as fs from 'fs';
import { renderRulesMarkdown, RULES_MD } from '../../scripts/rules-md';
import { LoopbackChecker } from '../../src';

describe('RULES.md', () => {
  test('is current with the rule registry (run `npx projen rules-md` when this fails)', () => {
    expect(fs.readFileSync(RULES_MD, 'utf8')).toEqual(renderRulesMarkdown(LoopbackChecker.rules()));
  });

  test('a changed rule makes the rendering differ', () => {
    const rules = LoopbackChecker.rules();
    const changed = [{ ...rules[0], fix: `${rules[0].fix} (changed)` }, ...rules.slice(1)];
    expect(renderRulesMarkdown(changed)).not.toEqual(fs.readFileSync(RULES_MD, 'utf8'));
  });
});
