import type { EmailPort, OutgoingEmail } from '../../core/ports/notification-port';
import type { OutboundPolicy } from '../http/guarded-request';
import { postJson } from './post-json';

/** The lab's e-mail path: POSTs the message as JSON to local/sinks instead of sending it. */
export class SinkEmailSender implements EmailPort {
  constructor(
    private readonly endpoint: string,
    private readonly from: string,
    /** The sink is on loopback in the lab, so its origin must be in OUTBOUND_ALLOWED_TARGETS. */
    private readonly policy: OutboundPolicy,
  ) {}

  async send(email: OutgoingEmail): Promise<void> {
    await postJson(this.endpoint, { from: this.from, ...email }, 'e-mail sink', this.policy);
  }
}
