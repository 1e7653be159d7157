import type { TeamsPort } from '../../core/ports/notification-port';
import type { OutboundPolicy } from '../http/guarded-request';
import { postJson } from './post-json';

/** Posts to Teams Workflows webhooks ("when a Teams webhook request is received"); they answer 202. */
export class TeamsWebhookPoster implements TeamsPort {
  /** `policy.allow`: OUTBOUND_ALLOWED_TARGETS (the lab's Teams sink on loopback, for example). */
  constructor(private readonly policy: OutboundPolicy) {}

  async post(webhookUrl: string, message: unknown): Promise<void> {
    await postJson(webhookUrl, message, 'Teams webhook', this.policy);
  }
}
