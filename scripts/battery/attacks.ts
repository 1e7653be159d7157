// Every attack family, in the order the battery runs them. The kill -9 and 429 families reset the
// simulator, so they come last.
import type { Attack } from './attack';
import { apiBasics } from './attacks/api-basics';
import { approvalTokens } from './attacks/approval-tokens';
import { crashRestart } from './attacks/crash-restart';
import { csrf } from './attacks/csrf';
import { forgedEvents } from './attacks/forged-events';
import { fourEyesAttack } from './attacks/four-eyes';
import { itemRaces } from './attacks/item-races';
import { outboundTargets } from './attacks/outbound-targets';
import { prefetch } from './attacks/prefetch';
import { throttleStorm } from './attacks/throttle-storm';

export const ATTACKS: readonly Attack[] = [
  forgedEvents,
  outboundTargets,
  approvalTokens,
  prefetch,
  csrf,
  fourEyesAttack,
  apiBasics,
  itemRaces,
  crashRestart,
  throttleStorm,
];
