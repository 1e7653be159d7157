import type { TeamsPort } from '../../core/ports/notification-port';
import { postJson } from './post-json';

/** Posts to Teams Workflows webhooks ("when a Teams webhook request is received"); they answer 202. */
export class TeamsWebhookPoster implements TeamsPort {
  async post(webhookUrl: string, message: unknown): Promise<void> {
    await postJson(webhookUrl, message, 'Teams webhook');
  }
}
