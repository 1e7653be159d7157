import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SinkEmailSender } from '../../../adapters/notify/sink-email-sender';
import { TeamsWebhookPoster } from '../../../adapters/notify/teams-webhook-poster';
import { noticeCard } from '../../../core/approvals/notice-card';
import type { NoticeContent } from '../../../core/approvals/notice-content';
import { noticeEmail } from '../../../core/approvals/notice-email';
import { PortError } from '../../../core/ports/port-error';
import { startSinks, type RunningSinks } from '../../../local/sinks/start-sinks';

const content: NoticeContent = {
  title: 'Approval needed: contoso-shop (planned)',
  tone: 'attention',
  text: 'A DR lead confirms <the> switch',
  facts: [{ title: 'Initiator', value: 'alice@contoso.com' }],
  links: [
    { title: 'Approve', url: 'http://127.0.0.1:7071/api/approve?run=r1&step=approve&d=approve&t=abc' },
    { title: 'Reject', url: 'http://127.0.0.1:7071/api/approve?run=r1&step=approve&d=reject&t=abc' },
  ],
};

let sinks: RunningSinks;
/** The sinks listen on loopback, so the lab allowlists their origin (OUTBOUND_ALLOWED_TARGETS). */
const lab = () => ({ allow: [sinks.url] });

beforeAll(async () => {
  sinks = await startSinks();
});
afterAll(async () => {
  await sinks.stop();
});
beforeEach(() => sinks.clear());

describe('local sinks', () => {
  it('when the Teams poster posts a card to a channel, then the sink captures it with its button links', async () => {
    expect(sinks.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await new TeamsWebhookPoster(lab()).post(`${sinks.teamsWebhookUrl}/dr-leads`, noticeCard(content));
    const [message] = sinks.messages();
    expect(message).toMatchObject({ channel: 'teams', to: ['dr-leads'], title: content.title });
    expect(message!.links).toEqual(content.links.map(({ title, url }) => ({ title, url })));
    expect(message!.text).toContain('A DR lead confirms <the> switch');
  });

  it('when the sink e-mail sender sends, then the sink captures recipients, subject and both links once', async () => {
    await new SinkEmailSender(sinks.emailEndpoint, 'dr@contoso.com', lab()).send({
      to: ['alice@contoso.com', 'bob@contoso.com'],
      ...noticeEmail(content),
    });
    const [message] = sinks.messages();
    expect(message).toMatchObject({
      channel: 'email',
      to: ['alice@contoso.com', 'bob@contoso.com'],
      title: content.title,
    });
    expect(message!.links).toEqual(content.links.map(({ title, url }) => ({ title, url })));
  });

  it('when messages were captured, then the page lists them with clickable, escaped links and JSON serves them', async () => {
    await new TeamsWebhookPoster(lab()).post(sinks.teamsWebhookUrl, noticeCard(content));
    const page = await (await fetch(sinks.url)).text();
    expect(page).toContain(
      'href="http://127.0.0.1:7071/api/approve?run=r1&amp;step=approve&amp;d=approve&amp;t=abc"',
    );
    expect(page).toContain('A DR lead confirms &lt;the&gt; switch');
    const listed = (await (await fetch(`${sinks.url}/messages`)).json()) as unknown[];
    expect(listed).toHaveLength(1);
  });

  it('when a body is not a Workflows message or not JSON, then the sink answers 400 naming the field and keeps nothing', async () => {
    const post = (path: string, body: string) =>
      fetch(`${sinks.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const bad = await post('/teams/x', JSON.stringify({ text: 'legacy MessageCard' }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'type: must be "message" (a Workflows webhook body)' });
    expect((await post('/email', '{nope')).status).toBe(400);
    expect(await (await post('/email', JSON.stringify({ to: [], subject: 's', text: 't' }))).json()).toEqual({
      error: 'to: must be a non-empty array of addresses',
    });
    expect(sinks.messages()).toEqual([]);
  });

  it('when the webhook refuses a post, then the poster throws a classified error without the URL', async () => {
    const error = await new TeamsWebhookPoster(lab())
      .post(`${sinks.url}/nowhere?sig=secret`, {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortError);
    expect((error as PortError).info).toMatchObject({ kind: 'notFound', status: 404 });
    expect((error as PortError).message).not.toContain('secret');
  });

  it('when the sinks are not allowlisted, then a post to them on loopback is refused before any request, as terminal', async () => {
    const error = await new TeamsWebhookPoster({ allow: [] })
      .post(`${sinks.teamsWebhookUrl}/dr-leads?sig=secret`, noticeCard(content))
      .catch((e: unknown) => e);
    expect((error as PortError).info).toMatchObject({ kind: 'terminal', code: 'OutboundRefused' });
    expect((error as PortError).message).toMatch(
      /Teams webhook: refused: the URL points at 127\.0\.0\.1, loopback/,
    );
    expect((error as PortError).message).not.toContain('secret');
    expect(sinks.messages()).toEqual([]);
  });
});
