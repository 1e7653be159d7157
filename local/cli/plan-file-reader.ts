import { outboundAllowlist } from '../../adapters/config/app-config';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { LIMITS } from '../../core/plan/limits';
import { parseSource } from '../../core/plan/parse-source';
import type { PlanIssue } from '../../core/plan/plan-issue';
import type { ValidatePlanResult } from '../../core/plan/validate-plan';
import { validatePlan } from '../../core/plan/validate-plan';

// Helpers shared by `validate` and `plan`: reading plan files without trusting them, finding sibling
// plans for sub-plan checks, and printing issues as `file:line:col rule-id message`.

/** The bytes of a plan file, or why it could not be read (missing, a directory, too large). */
export function readPlanFile(
  path: string,
): { ok: true; bytes: Uint8Array } | { ok: false; message: string; issue?: PlanIssue } {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { ok: false, message: `${path} is not a file` };
    size = stat.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message: code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? 'error'})`,
    };
  }
  if (size > LIMITS.maxSourceBytes) {
    // Refuse before reading: a huge file should not cost memory.
    const message = `the file is ${(size / 1024 / 1024).toFixed(1)} MiB; plan files may be at most ${LIMITS.maxSourceBytes / 1024 / 1024} MiB`;
    return { ok: false, message, issue: { rule: 'limits/file-size', path: '$', message, severity: 'error' } };
  }
  try {
    return { ok: true, bytes: readFileSync(path) };
  } catch (error) {
    return {
      ok: false,
      message: `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
}

const PLAN_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Plan sources by metadata name, from the directories of the given files (for sub-plan checks). The
 * directories are read on the first lookup only: a plan without sub-plan steps never pays for parsing
 * its neighbours.
 */
export function siblingPlans(files: readonly string[]): (name: string) => string | undefined {
  let byName: Map<string, string> | undefined;
  return (name) => (byName ??= readSiblings(files)).get(name);
}

function readSiblings(files: readonly string[]): Map<string, string> {
  const byName = new Map<string, string>();
  for (const dir of new Set(files.map((f) => dirname(resolve(f))))) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries.filter((e) => PLAN_EXTENSIONS.has(extname(e)))) {
      const read = readPlanFile(join(dir, entry));
      if (!read.ok) continue;
      const parsed = parseSource(read.bytes);
      const name = parsed.ok ? (parsed.value as { metadata?: { name?: unknown } }).metadata?.name : undefined;
      if (typeof name === 'string' && !byName.has(name))
        byName.set(name, Buffer.from(read.bytes).toString('utf8'));
    }
  }
  return byName;
}

/** Validates one file; read failures come back as a result with one issue. */
export function validatePlanFile(
  path: string,
  resolvePlan?: (name: string) => string | undefined,
): ValidatePlanResult | { ok: false; unreadable: string } {
  const read = readPlanFile(path);
  if (!read.ok)
    return read.issue ? { ok: false, issues: [read.issue] } : { ok: false, unreadable: read.message };
  return validatePlan(read.bytes, {
    fileName: path,
    // The CLI honours the same exceptions as the app, from its own environment.
    outboundAllow: outboundAllowlist(),
    ...(resolvePlan ? { resolvePlan } : {}),
  });
}

/** `file:line:col rule-id message`, with the JSON path when it adds something. */
export function formatIssue(file: string, issue: PlanIssue): string {
  const where = `${file}:${issue.line ?? 1}:${issue.column ?? 1}`;
  const level = issue.severity === 'warning' ? 'warning: ' : '';
  const path = issue.path === '$' ? '' : ` (at ${issue.path})`;
  return `${where} ${issue.rule} ${level}${issue.message}${path}`;
}
