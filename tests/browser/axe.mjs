// Accessibility check of the page as it is now: axe-core (npm, pinned in
// package.json) against WCAG 2.1 A and AA, the level BITV 2.0 requires.
// axe's source is evaluated through the DevTools protocol (page.evaluate),
// which the page's Content-Security-Policy does not govern, so the check
// runs on the page exactly as users get it, CSP enforced.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Runs axe on page; returns a list of readable violation lines ([] = none).
export async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  const lines = [];
  for (const v of result.violations) {
    lines.push(`${v.id} (${v.impact}): ${v.help} – ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 5))
      lines.push(`    ${node.target.join(' ')}: ${node.failureSummary.replace(/\s+/g, ' ')}`);
    if (v.nodes.length > 5) lines.push(`    … and ${v.nodes.length - 5} more`);
  }
  return lines;
}
