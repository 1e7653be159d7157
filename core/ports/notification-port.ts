/** An e-mail as the notifier sends it: the same links in the text and the HTML body. */
export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** Sends e-mail (Azure Communication Services in Azure, the local sink in the lab). */
export interface EmailPort {
  send(email: OutgoingEmail): Promise<void>;
}

/** Posts a message (an Adaptive Card wrapped as Workflows expects) to a Teams Workflows webhook. */
export interface TeamsPort {
  post(webhookUrl: string, message: unknown): Promise<void>;
}
