import type { EmailPort, OutgoingEmail } from '../../core/ports/notification-port';
import { postJson } from './post-json';

/** The lab's e-mail path: POSTs the message as JSON to local/sinks instead of sending it. */
export class SinkEmailSender implements EmailPort {
  constructor(
    private readonly endpoint: string,
    private readonly from: string,
  ) {}

  async send(email: OutgoingEmail): Promise<void> {
    await postJson(this.endpoint, { from: this.from, ...email }, 'e-mail sink');
  }
}
