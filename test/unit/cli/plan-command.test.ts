import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../local/cli/main';
import { capture, useScratchDir } from './cli-harness';
import { basePlan, yamlOf } from '../core/plan/plan-fixtures';

const dir = useScratchDir('dr-plan-', (dir) => {
  const chain = basePlan();
  chain.objectives.rtoMinutes = 30;
  chain.steps = Array.from({ length: 9 }, (_, i) => ({
    id: `s${i}`,
    failover: { items: [`vm-${i}`] },
    budgetMinutes: 5,
    ...(i > 0 ? { dependsOn: [`s${i - 1}`] } : {}),
  }));
  writeFileSync(join(dir, 'chain.yaml'), yamlOf(chain));
  const bad = basePlan();
  bad.steps[0].dependsOn = ['app'];
  writeFileSync(join(dir, 'cycle.yaml'), yamlOf(bad));
});

describe('durable-recovery plan', () => {
  it('when shown the shop plan, then it prints steps, layers, critical path and the forecast against the RTO', async () => {
    const io = capture(process.cwd());
    expect(await runCli(['plan', 'plans/shop.yaml'], io)).toBe(0);
    expect(io.stdout).toContain('Plan contoso-shop');
    expect(io.stdout).toMatch(/ID\s+KIND\s+DEPENDS ON\s+WHEN\s+BUDGET\s+WHAT/);
    expect(io.stdout).toMatch(/\n {2}7 {2}web-nsg, web-lb, web-ip\n/);
    expect(io.stdout).toContain(
      'Critical path: approve → sql → sql-ag → sql-dns → app → web → web-lb → dns → health (52 min)',
    );
    expect(io.stdout).toMatch(/planned\s+52 min\s+60 min\s+ok, 8 min to spare/);
    expect(io.stdout).toMatch(/test\s+35 min\s+60 min\s+ok, 25 min to spare/);
    expect(io.stdout).toContain('3 groups, planned forecast 57 min');
  });

  it('when shown a plan written as groups, then the ASR view keeps its groups and makes runbooks and approvals their actions', async () => {
    const io = capture(process.cwd());
    expect(await runCli(['plan', 'plans/shop-groups.yaml'], io)).toBe(0);
    expect(io.stdout).toContain('As a native ASR recovery plan (its groups as written;');
    expect(io.stdout).toMatch(/\n {2}1 go\s+approve \(manual, planned\+unplanned\)\s+-\s+-\n/);
    expect(io.stdout).toMatch(
      /\n {2}2 group-1-sql\s+-\s+sql\s+sql-ag \(sqlAvailabilityGroup as runbook, planned\+unplanned\), sql-dns \(dns as runbook, planned\+unplanned\)\n/,
    );
    expect(io.stdout).toContain('5 groups, planned forecast 57 min (this plan: 52 min)');
    expect(io.stdout).not.toContain('Does not fit ASR');
  });

  it('when --operation test is given, then the forecast detail skips steps that do not run in drills', async () => {
    const io = capture(process.cwd());
    expect(await runCli(['plan', 'plans/shop.yaml', '--operation', 'test'], io)).toBe(0);
    expect(io.stdout).toContain('Forecast for test');
    expect(io.stdout).toMatch(/approve\s+-\s+-\s+skipped/);
  });

  it('when the plan misses its RTO and needs more than 7 groups, then it says both', async () => {
    const io = capture(dir());
    expect(await runCli(['plan', 'chain.yaml'], io)).toBe(0);
    expect(io.stdout).toMatch(/planned\s+45 min\s+30 min\s+MISSES by 15 min/);
    expect(io.stdout).toContain(
      'Does not fit ASR: needs 9 groups but at most 7 are allowed: the failovers s0 → s1',
    );
    expect(io.stderr).toContain('objectives/rto-forecast');
  });

  it('when the plan is invalid, then it prints the problems and exits 1', async () => {
    const io = capture(dir());
    expect(await runCli(['plan', 'cycle.yaml'], io)).toBe(1);
    expect(io.stderr).toMatch(/cycle\.yaml:\d+:\d+ plan\/cycle dependency cycle: go → app → db → go/);
    expect(io.stdout).toBe('');
  });

  it('when the arguments are wrong, then it exits 2 with usage', async () => {
    expect(await runCli(['plan'], capture(dir()))).toBe(2);
    expect(await runCli(['plan', 'a.yaml', 'b.yaml'], capture(dir()))).toBe(2);
    const io = capture(dir());
    expect(await runCli(['plan', 'chain.yaml', '--operation', 'drill'], io)).toBe(2);
    expect(io.stderr).toContain('--operation must be one of');
  });
});
