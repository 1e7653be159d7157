// Mail scanners and link previews fetch every link in a message, signed in or not, with GET and HEAD.
// Opening an approval link must never decide anything nor spend the link.
import type { Attack } from '../attack';
import { mailedLink, openLink } from '../approval-links';
import { cancelRun, gatePlan, gateState, leads, recordedDecisions, waitingRun } from '../battery-plans';

const bob = leads[1] ?? 'bob@contoso.com';

export const prefetch: Attack = {
  name: 'prefetch',
  short: true,
  async run(lab) {
    const runId = await waitingRun(lab, 'bat-prefetch', gatePlan('bat-prefetch'));
    const cookie = await lab.signIn(bob);
    const link = await mailedLink(lab, runId, bob);
    const statuses = new Set<number>();
    // Scanners fetch in parallel: 20 requests, GET and HEAD, half of them with the approver's session.
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const page = await openLink(link, i % 2 === 0 ? cookie : undefined, i % 3 === 0 ? 'HEAD' : 'GET');
        statuses.add(page.status);
      }),
    );
    const gate = await gateState(lab, runId);
    const decisions = await recordedDecisions(lab, runId);
    // Still unspent: the approver is still offered the form.
    const form = await openLink(link, cookie);
    await cancelRun(lab, runId);
    return [
      {
        name: 'prefetch: 20 GET/HEAD of an approval link',
        expected: 'pages only, nothing decided, link unspent',
        observed: `statuses ${[...statuses].sort().join(',')}; ${gate.waiting ? 'run still waits' : 'run moved on'}, ${decisions} decision(s) recorded; form ${form.fields.csrf ? 'still offered' : `gone (${form.status} ${form.reason})`}`,
        held:
          [...statuses].every((s) => s < 500) &&
          gate.waiting &&
          decisions === 0 &&
          form.fields.csrf !== undefined,
      },
    ];
  },
};
