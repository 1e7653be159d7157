// Approval links the way people get them: from the e-mails the app sent to the sinks. Helpers to open
// a link (the page), read its form, and post a decision, reading the refusal page's reason code.
import { sleep } from './attack';
import type { BatteryStack } from './battery-stack';

/** The Approve link the app mailed to `user` for `runId`, pointed at the host's current address. */
export async function mailedLink(lab: BatteryStack, runId: string, user: string): Promise<URL> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    for (const message of lab.sinks.messages()) {
      if (message.channel !== 'email' || message.to[0] !== user) continue;
      const link = message.links.find((l) => l.title === 'Approve' && l.url.includes(runId));
      if (link) {
        // Links carry the host address of the moment they were sent; a restarted host has a new port.
        const url = new URL(link.url);
        url.host = new URL(lab.stack.host.baseUrl).host;
        return url;
      }
    }
    if (Date.now() > deadline) throw new Error(`no approval e-mail to ${user} for run ${runId}`);
    await sleep(100);
  }
}

export const reasonOf = (html: string): string => /Reason code: <code>(\w+)<\/code>/.exec(html)?.[1] ?? '-';

export interface Page {
  status: number;
  reason: string;
  /** The decision form's hidden fields, when the page offered one. */
  fields: Record<string, string>;
}

/** GET (or HEAD) of an approval link, signed in or not. */
export async function openLink(url: URL | string, cookie?: string, method = 'GET'): Promise<Page> {
  const response = await fetch(url, { method, headers: cookie ? { cookie } : {} });
  const html = await response.text();
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) {
    fields[match[1] ?? ''] = (match[2] ?? '').replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  }
  return { status: response.status, reason: reasonOf(html), fields };
}

/** POSTs an approval form to /api/approve. */
export async function postDecision(
  lab: BatteryStack,
  fields: Record<string, string>,
  cookie: string | undefined,
  headers: Record<string, string> = {},
): Promise<{ status: number; reason: string }> {
  const response = await fetch(`${lab.stack.host.baseUrl}/api/approve`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, reason: reasonOf(await response.text()) };
}

/** The claims of a JWT, unverified (to build tampered copies). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

export const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
