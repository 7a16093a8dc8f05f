// axe-core accessibility check: zero serious or critical violations.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface A11yViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/**
 * Runs axe on the page (WCAG 2.x A/AA rules and best practices) and returns the serious and
 * critical violations. The source is evaluated through the DevTools protocol, not a <script> tag,
 * because the page's CSP (rightly) refuses inline scripts.
 */
export async function a11yViolations(page: Page): Promise<A11yViolation[]> {
  await page.evaluate(`${axeSource}\n;void 0`);
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResult> } }
    ).axe;
    interface AxeResult {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    }
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
  });
}

/** Throws with the list when axe finds a serious or critical violation. */
export async function checkA11y(page: Page): Promise<void> {
  const violations = await a11yViolations(page);
  if (violations.length > 0) {
    throw new Error(
      `axe: ${violations.length} serious/critical violation(s):\n${JSON.stringify(violations, null, 2)}`,
    );
  }
}
