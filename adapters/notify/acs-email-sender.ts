import { EmailClient, type EmailMessage } from '@azure/communication-email';
import type { EmailPort, OutgoingEmail } from '../../core/ports/notification-port';
import { PortError } from '../../core/ports/port-error';

/** Azure Communication Services Email: one message to all recipients, waited for until accepted or failed. */
export class AcsEmailSender implements EmailPort {
  private readonly client: EmailClient;

  constructor(
    connectionString: string,
    private readonly senderAddress: string,
  ) {
    this.client = new EmailClient(connectionString);
  }

  async send(email: OutgoingEmail): Promise<void> {
    const message: EmailMessage = {
      senderAddress: this.senderAddress,
      content: { subject: email.subject, plainText: email.text, html: email.html },
      recipients: { to: email.to.map((address) => ({ address })) },
    };
    let status: string;
    let reason: string | undefined;
    try {
      const poller = await this.client.beginSend(message);
      const result = await poller.pollUntilDone();
      status = result.status;
      reason = result.error?.message;
    } catch (error) {
      const code = (error as { statusCode?: number }).statusCode;
      const retryable = code === undefined || code === 429 || code >= 500;
      throw new PortError({
        kind: retryable ? 'retryable' : 'terminal',
        code: String(code ?? 'EmailSendError'),
        message: `ACS e-mail: ${(error as Error).message.split('\n')[0] ?? 'send failed'}`,
        ...(code !== undefined ? { status: code } : {}),
      });
    }
    if (status !== 'Succeeded') {
      throw new PortError({
        kind: 'terminal',
        code: `Email${status}`,
        message: `ACS e-mail: ${status}${reason ? ` (${reason})` : ''}`,
      });
    }
  }
}
