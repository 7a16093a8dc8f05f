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
    interface AxeNode {
      target: string[];
      any: { data?: { contrastRatio?: number; expectedContrastRatio?: string } | null }[];
    }
    interface AxeRule {
      id: string;
      impact: string | null;
      help: string;
      nodes: AxeNode[];
    }
    interface AxeResult {
      violations: AxeRule[];
      incomplete: AxeRule[];
    }
    const axe = (
      globalThis as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResult> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
      resultTypes: ['violations', 'incomplete'],
    });
    const out = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    // axe files text whose colour equals its background (1:1) under "incomplete" (it might be
    // hidden on purpose); in this app that is always a bug, so a measured ratio below the
    // expected one counts as a violation.
    for (const rule of result.incomplete.filter((r) => r.id === 'color-contrast')) {
      const low = rule.nodes.filter((n) =>
        n.any.some((c) => {
          const ratio = c.data?.contrastRatio;
          const expected = Number.parseFloat(c.data?.expectedContrastRatio ?? '4.5');
          return typeof ratio === 'number' && ratio > 0 && ratio < expected;
        }),
      );
      if (low.length > 0)
        out.push({
          id: rule.id,
          impact: 'serious',
          help: rule.help,
          targets: low.map((n) => n.target.join(' ')),
        });
    }
    return out;
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
