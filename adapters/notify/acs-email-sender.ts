import { EmailClient, type EmailClientOptions, type EmailMessage } from '@azure/communication-email';
import type { EmailPort, OutgoingEmail } from '../../core/ports/notification-port';
import { PortError } from '../../core/ports/port-error';

export interface AcsEmailSenderOptions {
  /** How long the send request itself may take (then it fails as retryable). */
  sendTimeoutMs?: number;
  /** How long to wait for the queued message's final status; after that it counts as sent. */
  deliveryWaitMs?: number;
  clientOptions?: EmailClientOptions;
}

/**
 * Azure Communication Services Email: one message to all recipients. A message ACS accepted but has not
 * finished within the delivery wait counts as sent: it is queued, and sending it again would duplicate
 * it — while waiting on without bound would hold back the run that is telling people (a notice is
 * awaited before the run ends).
 */
export class AcsEmailSender implements EmailPort {
  private readonly client: EmailClient;
  private readonly sendTimeoutMs: number;
  private readonly deliveryWaitMs: number;

  constructor(
    connectionString: string,
    private readonly senderAddress: string,
    options: AcsEmailSenderOptions = {},
  ) {
    this.client = new EmailClient(connectionString, options.clientOptions);
    this.sendTimeoutMs = options.sendTimeoutMs ?? 30_000;
    this.deliveryWaitMs = options.deliveryWaitMs ?? 60_000;
  }

  async send(email: OutgoingEmail): Promise<void> {
    const message: EmailMessage = {
      senderAddress: this.senderAddress,
      content: { subject: email.subject, plainText: email.text, html: email.html },
      recipients: { to: email.to.map((address) => ({ address })) },
    };
    let poller: Awaited<ReturnType<EmailClient['beginSend']>>;
    try {
      poller = await this.client.beginSend(message, { abortSignal: AbortSignal.timeout(this.sendTimeoutMs) });
    } catch (error) {
      throw sendError(error);
    }
    const result = await poller
      .pollUntilDone({ abortSignal: AbortSignal.timeout(this.deliveryWaitMs) })
      .catch((error: unknown) => {
        if ((error as Error).name === 'AbortError') return undefined; // accepted and queued: sent
        throw sendError(error);
      });
    if (result && result.status !== 'Succeeded') {
      throw new PortError({
        kind: 'terminal',
        code: `Email${result.status}`,
        message: `ACS e-mail: ${result.status}${result.error?.message ? ` (${result.error.message})` : ''}`,
      });
    }
  }
}

const firstLine = (error: unknown): string => (error as Error).message.split('\n')[0] ?? 'send failed';

/** Throttling, 5xx and network trouble may pass on a later attempt; other statuses are final. */
function sendError(error: unknown): PortError {
  const code = (error as { statusCode?: number }).statusCode;
  // core-lro's words when ACS reports the message failed (seen by beginSend's first poll or a later
  // one): final — sending it again would fail the same way.
  if (code === undefined && firstLine(error).startsWith('The long-running operation has failed')) {
    return new PortError({
      kind: 'terminal',
      code: 'EmailFailed',
      message: `ACS e-mail: ${firstLine(error)}`,
    });
  }
  const retryable = code === undefined || code === 429 || code >= 500;
  return new PortError({
    kind: retryable ? 'retryable' : 'terminal',
    code: String(code ?? 'EmailSendError'),
    message: `ACS e-mail: ${firstLine(error)}`,
    ...(code !== undefined ? { status: code } : {}),
  });
}
