// The operator console in real Chromium on the local stack (host + Azurite + ARM simulator): an
// operator signs in, dry-runs then starts a drill, watches it finish and opens the evidence report; an
// approver approves on a phone; a viewer is refused. Every page passes axe (no serious or critical
// violation) and is kept as a screenshot under test-results/screenshots/.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onceAt, soon } from '../integration/drills/drill-stack';
import { a2aPair, opsPlan, opsScenario } from '../integration/e2e-run/ops-plans';
import { RunStack } from '../integration/e2e-run/run-stack';
import { launch, newContext, screenshot, seriousViolations, signIn } from './browser';

let stack: RunStack;
let browser: Browser;

const approvalPlan = `  - id: approve
    approval: { group: ops-leads, quorum: 1, timeoutMinutes: 30 }
  - { id: fail-over, dependsOn: [approve], failover: { items: [hv-01] } }`;

/** A plan whose one scheduled drill fires a few seconds after it is stored (the scanner ticks every 2 s). */
const scheduledPlan = (): string =>
  opsPlan('console-scheduled', { steps: '  - { id: hv, failover: { items: [hv-02] } }' }).replace(
    'drill:\n',
    `drill:\n  schedule: "${onceAt(soon(6000))}"\n  cleanup: { policy: always, delayMinutes: 0 }\n`,
  );

/** A broken runbook that asks ops-leads what to do, then a step that waits for it. */
const askPlan = `  - id: check
    runbook: { account: aa-ops, name: Ops-Broken }
    onFailure: { action: ask, group: ops-leads, timeoutMinutes: 10 }
  - { id: after, dependsOn: [check], runbook: { account: aa-ops, name: Ops-Notify } }`;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    RunStack.start({
      scenario: opsScenario,
      settings: { APPROVAL_LOGIN_PATH: '/.auth/login/dev', DRILL_SCAN_SCHEDULE: '*/2 * * * * *' },
    }),
    launch(),
  ]);
  await stack.putPlan('console-scheduled', scheduledPlan());
  await stack.putPlan('console-drill', opsPlan('console-drill', { steps: a2aPair }));
  await stack.putPlan('console-approval', opsPlan('console-approval', { steps: approvalPlan }));
  await stack.putPlan('console-ask', opsPlan('console-ask', { steps: askPlan }));
  // The lab's demo plan (stored only, never run here): a graph with network steps, a check and an approval.
  await stack.uploadDemoPlan();
  // A second version no run has used: the plan page still offers the first one for the diff.
  await stack.putPlan(
    'contoso-shop',
    `${await stack.api('GET', '/api/plans/contoso-shop').then((r) => r.body.source)}\n# second version\n`,
  );
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Test failovers of console-drill's machines that reached the simulator (the scheduled drill uses hv-02). */
const shopFailovers = async (): Promise<string[]> =>
  (await stack.accepted('TestFailover'))
    .map((r) => r.target)
    .filter((vm) => vm === 'db-01' || vm === 'web-01')
    .sort();

describe('the console in Chromium', () => {
  it('when an operator signs in, dry-runs and starts a drill, then the run page follows it to the end and the evidence report shows it', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, stack.host.baseUrl, '/api/console/', 'olga@contoso.com', ['operator']);
    await page.getByRole('link', { name: 'console-drill', exact: true }).waitFor();
    await page.getByText('ready').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'plans');

    await page.getByRole('link', { name: 'contoso-shop', exact: true }).click();
    await page.getByRole('img', { name: /Dependency graph of contoso-shop/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'plan-demo');
    const versions = page.getByLabel('Compare the current version with');
    expect(await versions.locator('option').count()).toBe(2); // the prompt and the one earlier version
    await versions.selectOption({ index: 1 });
    await page.locator('pre.diff', { hasText: '+ # second version' }).waitFor();
    await screenshot(page, 'plan-versions');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Plans', exact: true }).click();
    await page.getByRole('link', { name: 'console-drill', exact: true }).click();
    await page.getByRole('img', { name: /Dependency graph of console-drill/ }).waitFor();
    expect(await page.getByRole('img', { name: /critical path for test: db → web/ }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'plan');

    // A dry run first: it walks the plan without touching the simulator.
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.waitForURL(/\/api\/console\/runs\//);
    await page.locator('h1 .badge', { hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
    expect(await shopFailovers()).toEqual([]);

    await page.goBack();
    await page.getByRole('button', { name: 'Start test…' }).click();
    await page.getByRole('button', { name: 'Yes, start test now' }).click();
    await page.waitForURL(/\/api\/console\/runs\//);
    const runId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByRole('img', { name: /Timeline of run/ }).waitFor();
    await screenshot(page, 'run-live');
    await page.locator('h1 .badge', { hasText: 'succeeded' }).waitFor({ timeout: 90_000 });
    await page.getByRole('link', { name: 'Open the evidence report' }).waitFor();
    expect(await shopFailovers()).toEqual(['db-01', 'web-01']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'run-finished');

    await page.getByRole('link', { name: 'Open the evidence report' }).click();
    await page.getByRole('heading', { name: /Evidence report: console-drill \(test\)/ }).waitFor();
    const items = page.getByRole('table').filter({ hasText: 'Recovery point' });
    expect(await items.getByRole('row').count()).toBe(3); // header + db-01 + web-01
    expect(await page.getByText('run-started').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'report');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'report-print');
    await page.emulateMedia({ media: 'screen' });

    // The scheduled drill of console-scheduled ran meanwhile: its page charts it.
    await expect
      .poll(async () => (await stack.api('GET', '/api/plans/console-scheduled/drills')).body.drills[0]?.rto, {
        timeout: 60_000,
      })
      .toBeTruthy();
    await page.goto(`${stack.host.baseUrl}/api/console/plans/console-scheduled/drills`);
    await page.getByRole('heading', { name: 'Drills of console-scheduled' }).waitFor();
    await page.getByRole('img', { name: /RTO per drill: \d{4}-\d\d-\d\d [\d.]+ min/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'drills');
    expect(runId).not.toBe('');
    await context.close();
  });

  it('when a step waits for approval, then a viewer sees it but is refused (403 needs-approver), and an approver approves it on a phone', async () => {
    const runId = await stack.startRun('console-approval', { operation: 'test' });
    const runPath = `/api/console/runs/${runId}`;

    const viewer = await newContext(browser);
    const viewerPage = await viewer.newPage();
    await signIn(viewerPage, stack.host.baseUrl, runPath, 'vera@contoso.com', ['viewer']);
    await viewerPage.getByText(/waits for an approval from the ops-leads group/).waitFor();
    expect(await viewerPage.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    const refused = await viewerPage.evaluate(`(async () => {
      const reply = await fetch('/api/session/runs/${runId}/approvals', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ stepId: 'approve', approve: true }),
      });
      return { status: reply.status, code: (await reply.json()).error.code };
    })()`);
    expect(refused).toEqual({ status: 403, code: 'needs-approver' });
    await viewer.close();

    const phone = await newContext(browser, true);
    const page = await phone.newPage();
    await signIn(page, stack.host.baseUrl, runPath, 'alice@contoso.com', ['approver']);
    await page.getByRole('button', { name: 'Approve' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'approval-phone');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('h1 .badge', { hasText: 'succeeded' }).waitFor({ timeout: 90_000 });
    await screenshot(page, 'approval-phone-done');
    const report = await stack.report(runId);
    expect(report.approvals[0].decisions.map((d: { approver: { name: string } }) => d.approver.name)).toEqual(
      ['alice@contoso.com'],
    );
    await phone.close();
  });

  it('when a failed step asks ops-leads, then an approver answers skip from the run page and the run goes on', async () => {
    const runId = await stack.startRun('console-ask', { operation: 'test' });
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, stack.host.baseUrl, `/api/console/runs/${runId}`, 'bob@contoso.com', ['approver']);
    await page.getByText(/waits for a decision \(retry, skip or abort\)/).waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'run-decision');
    await page.getByRole('button', { name: 'Skip' }).click();
    await page.locator('h1 .badge', { hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
    const run = (await stack.api('GET', `/api/runs/${runId}`)).body;
    expect(run.timeline.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      ['check', 'skipped'],
      ['after', 'succeeded'],
    ]);
    await context.close();
  });
});
