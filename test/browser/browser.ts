// Real Chromium (Debian's /usr/bin/chromium, installed by .ci/run) driven by playwright-core, and the
// helpers the console's browser tests share: sign-in through the lab form, axe checks, screenshots.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../support/host-process';

export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const axePath = createRequire(__filename).resolve('axe-core/axe.min.js');

export async function launch(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** A fresh browser profile; `phone` is a 390 x 844 touch screen. CSP is bypassed only so axe can be injected. */
export function newContext(browser: Browser, phone = false): Promise<BrowserContext> {
  return browser.newContext({
    bypassCSP: true,
    ...(phone
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1280, height: 900 } }),
  });
}

/** Opens `path`, is sent to the lab's sign-in form, signs in as `user` with `roles`, lands back on `path`. */
export async function signIn(
  page: Page,
  baseUrl: string,
  path: string,
  user: string,
  roles: string[],
): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForURL(/\/\.auth\/login\/dev/);
  await page.getByLabel('User').fill(user);
  for (const role of ['viewer', 'operator', 'approver']) {
    const box = page.getByRole('checkbox', { name: new RegExp(`^${role}`) });
    if (roles.includes(role)) await box.check();
    else await box.uncheck();
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === path.split('?')[0]);
}

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/** axe-core's WCAG 2 A/AA rules on the page as it is; the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: axePath });
  // Runs in the page (a string: this project's TypeScript has no DOM types).
  const result: Violation[] = await page.evaluate(`(async () => {
    const run = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
    return run.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  })()`);
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
