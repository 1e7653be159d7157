import type { NoticeContent } from '../../approvals/notice-content';
import type { RecoveryPlan } from '../../plan/plan-types';
import type { PlanEvaluation } from './readiness-record';

const isEmail = (value: string): boolean => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);
const MAX_FACTS = 8;

/** Who hears about a readiness change: the plan's owners by e-mail, its approver groups' Teams channels. */
export function readinessRecipients(plan: RecoveryPlan): { groups: string[]; emails: string[] } {
  const groups = Object.keys(plan.approvers);
  return {
    groups: groups.length > 0 ? groups : ['*'],
    emails: [...new Set(plan.metadata.owners.filter(isEmail))],
  };
}

/**
 * The notice of a change across `failing`: "plan X cannot run" with each failing check's evidence and
 * fix, or "plan X is ready again". The Teams card and the e-mail render the same content.
 */
export function readinessNotice(evaluation: PlanEvaluation, pageUrl?: string): NoticeContent {
  const failing = evaluation.checks.filter((c) => c.status === 'failing');
  const cannotRun = evaluation.status === 'failing';
  const facts = cannotRun
    ? failing.slice(0, MAX_FACTS).map((c) => ({
        title: c.title,
        value: `${c.evidence}${c.fix ? ` → ${c.fix}` : ''}`.slice(0, 600),
      }))
    : [{ title: 'Checks', value: evaluation.summary }];
  return {
    title: cannotRun
      ? `Plan ${evaluation.plan} cannot run (readiness failing)`
      : `Plan ${evaluation.plan} is ready again`,
    tone: cannotRun ? 'attention' : 'good',
    text: cannotRun
      ? `${failing.length} readiness check(s) failing since ${evaluation.since}. A run started now would fail; fix these before a disaster does.`
      : `No readiness check is failing any more (evaluated ${evaluation.evaluatedAt}).`,
    facts: [
      ...facts,
      {
        title: 'Evaluated',
        value: `${evaluation.evaluatedAt} (plan version ${evaluation.planHash.slice(0, 12)})`,
      },
    ],
    links: pageUrl ? [{ title: 'Open the plan', url: pageUrl }] : [],
  };
}
