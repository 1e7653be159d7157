import { resolve } from 'node:path';
import type { PlanIssue } from '../../core/plan/plan-issue';
import type { Command } from './command';
import { formatIssue, siblingPlans, validatePlanFile } from './plan-file-reader';

const usage = `Usage: durable-recovery validate <file…> [--json]

Checks recovery plan files (YAML or JSON). Prints one line per problem:
  file:line:col rule-id message
Exit codes: 0 all valid (warnings allowed), 1 a plan has errors, 2 usage error or unreadable file.

Options:
  --json   print {"ok", "files": [{"file", "ok", "issues"}]} instead of lines`;

interface FileReport {
  file: string;
  ok: boolean;
  issues: PlanIssue[];
  error?: string;
}

/** `durable-recovery validate`: the plan checker for people (lines) and CI (exit code, --json). */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check recovery plan files and report every problem',
  usage,
  async run(args, io) {
    const json = args.includes('--json');
    const unknown = args.filter((a) => a.startsWith('-') && a !== '--json');
    const files = args.filter((a) => !a.startsWith('-'));
    if (unknown.length > 0 || files.length === 0) {
      io.err(
        unknown.length > 0
          ? `validate: unknown option ${unknown.join(', ')}\n`
          : 'validate: give at least one plan file\n',
      );
      io.err(`${usage}\n`);
      return 2;
    }
    const resolvePlan = siblingPlans(files.map((f) => resolve(io.cwd, f)));
    const reports: FileReport[] = files.map((file) => {
      const result = validatePlanFile(resolve(io.cwd, file), resolvePlan);
      if ('unreadable' in result)
        return { file, ok: false, issues: [], error: result.unreadable.replace(resolve(io.cwd, file), file) };
      return { file, ok: result.ok, issues: result.issues };
    });
    const unreadable = reports.some((r) => r.error !== undefined);
    const invalid = reports.some((r) => !r.ok);
    if (json) {
      io.out(`${JSON.stringify({ ok: !invalid, files: reports }, null, 2)}\n`);
    } else {
      for (const report of reports) {
        if (report.error !== undefined) io.err(`validate: ${report.error}\n`);
        for (const issue of report.issues) io.out(`${formatIssue(report.file, issue)}\n`);
      }
      const errors = reports.reduce((n, r) => n + r.issues.filter((i) => i.severity === 'error').length, 0);
      const warnings = reports.reduce(
        (n, r) => n + r.issues.filter((i) => i.severity === 'warning').length,
        0,
      );
      const valid = reports.filter((r) => r.ok).length;
      io.err(
        `${valid} of ${reports.length} plan file${reports.length === 1 ? '' : 's'} valid; ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`,
      );
    }
    if (unreadable) return 2;
    return invalid ? 1 : 0;
  },
};
