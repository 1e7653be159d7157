import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../local/cli/main';
import { capture, useScratchDir } from './cli-harness';
import { basePlan, yamlOf } from '../core/plan/plan-fixtures';

const dir = useScratchDir('dr-validate-', (dir) => {
  writeFileSync(join(dir, 'good.yaml'), yamlOf(basePlan()));
  const bad = basePlan();
  bad.steps[1].dependsOn = ['og'];
  bad.steps[0].approval.quorum = 5;
  writeFileSync(join(dir, 'bad.yaml'), yamlOf(bad));
  const parent = basePlan();
  parent.metadata.name = 'parent';
  parent.steps.push({ id: 'child', plan: { name: 'child' } });
  writeFileSync(join(dir, 'parent.yaml'), yamlOf(parent));
  const child = basePlan();
  child.metadata.name = 'child';
  child.steps.push({ id: 'back', plan: { name: 'parent' } });
  writeFileSync(join(dir, 'child.yaml'), yamlOf(child));
});

describe('durable-recovery validate', () => {
  it('when every file is valid, then it exits 0 and prints no problems', async () => {
    const io = capture(process.cwd());
    expect(await runCli(['validate', 'plans/shop.yaml', 'plans/shop-groups.yaml'], io)).toBe(0);
    expect(io.stdout).toBe('');
    expect(io.stderr).toContain('2 of 2 plan files valid');
  });

  it('when a file has problems, then it exits 1 with one file:line:col rule-id line per problem', async () => {
    const io = capture(dir());
    expect(await runCli(['validate', 'good.yaml', 'bad.yaml'], io)).toBe(1);
    const lines = io.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^bad\.yaml:\d+:\d+ approval\/quorum-exceeds-group quorum 5 is larger than group "leads"/,
    );
    expect(lines[1]).toMatch(
      /^bad\.yaml:\d+:\d+ step\/unknown-dependency no step has id "og" \(did you mean "go"\?\) \(at steps\[1\]\.dependsOn\[0\]\)$/,
    );
  });

  it('when --json is given, then it prints every file with its issues as JSON', async () => {
    const io = capture(dir());
    expect(await runCli(['validate', '--json', 'good.yaml', 'bad.yaml'], io)).toBe(1);
    const report = JSON.parse(io.stdout);
    expect(report.ok).toBe(false);
    expect(report.files.map((f: { file: string; ok: boolean }) => [f.file, f.ok])).toEqual([
      ['good.yaml', true],
      ['bad.yaml', false],
    ]);
    expect(report.files[1].issues[0]).toMatchObject({
      rule: 'approval/quorum-exceeds-group',
      path: 'steps[0].approval.quorum',
      severity: 'error',
    });
  });

  it('when plans in the same folder run each other as sub-plans, then the loop is reported', async () => {
    const io = capture(dir());
    expect(await runCli(['validate', 'parent.yaml'], io)).toBe(1);
    expect(io.stdout).toContain('plan/sub-plan-recursion sub-plans run in a loop: parent → child → parent');
  });

  it('when a file is missing or no file is given, then it exits 2', async () => {
    const missing = capture(dir());
    expect(await runCli(['validate', 'nope.yaml'], missing)).toBe(2);
    expect(missing.stderr).toContain('nope.yaml: no such file');
    const none = capture(dir());
    expect(await runCli(['validate'], none)).toBe(2);
    expect(none.stderr).toContain('give at least one plan file');
    const option = capture(dir());
    expect(await runCli(['validate', '--strict', 'good.yaml'], option)).toBe(2);
  });
});
