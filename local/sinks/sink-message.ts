/** One captured Teams post or e-mail, with the links a person would click. */
export interface SinkMessage {
  id: number;
  channel: 'teams' | 'email';
  receivedAt: string;
  /** Teams: the webhook path's channel segment (e.g. the approver group); e-mail: the recipients. */
  to: string[];
  /** Teams: the card's first text block; e-mail: the subject. */
  title: string;
  /** Teams: the card's texts and facts as lines; e-mail: the text body. */
  text: string;
  links: { title: string; url: string }[];
  /** The body as posted. */
  body: unknown;
}

/** Validation failures of a posted body, named by field (the sink answers 400 with them). */
export class SinkInputError extends Error {}

interface CardNode {
  type?: unknown;
  text?: unknown;
  title?: unknown;
  url?: unknown;
  facts?: { title?: unknown; value?: unknown }[];
  body?: unknown;
  items?: unknown;
  columns?: unknown;
  actions?: unknown;
  card?: unknown;
}

/** Walks a card collecting text lines and Action.OpenUrl links (also inside containers and ShowCards). */
function walk(node: unknown, lines: string[], links: { title: string; url: string }[]): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, lines, links);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as CardNode;
  if (n.type === 'TextBlock' && typeof n.text === 'string') lines.push(n.text);
  if (n.type === 'FactSet')
    for (const f of n.facts ?? []) lines.push(`${String(f.title)}: ${String(f.value)}`);
  if (n.type === 'Action.OpenUrl' && typeof n.url === 'string') {
    links.push({ title: typeof n.title === 'string' ? n.title : n.url, url: n.url });
  }
  for (const key of ['body', 'items', 'columns', 'actions', 'card'] as const) walk(n[key], lines, links);
}

/** Markdown escapes as Teams would show them (`\\[` → `[`). */
const unescapeMarkdown = (text: string): string => text.replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, '$1');

export function teamsMessage(id: number, receivedAt: string, channel: string, body: unknown): SinkMessage {
  const message = body as { type?: unknown; attachments?: { contentType?: unknown; content?: unknown }[] };
  if (message?.type !== 'message')
    throw new SinkInputError('type: must be "message" (a Workflows webhook body)');
  if (!Array.isArray(message.attachments) || message.attachments.length === 0) {
    throw new SinkInputError('attachments: must hold at least one Adaptive Card attachment');
  }
  const lines: string[] = [];
  const links: { title: string; url: string }[] = [];
  message.attachments.forEach((a, i) => {
    if (a?.contentType !== 'application/vnd.microsoft.card.adaptive') {
      throw new SinkInputError(
        `attachments[${i}].contentType: must be application/vnd.microsoft.card.adaptive`,
      );
    }
    walk(a.content, lines, links);
  });
  const text = lines.map(unescapeMarkdown);
  return {
    id,
    channel: 'teams',
    receivedAt,
    to: [channel],
    title: text[0] ?? '(card without text)',
    text: text.join('\n'),
    links,
    body,
  };
}

const urlPattern = /\bhttps?:\/\/[^\s<>"']+/g;
const decodeEntities = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

export function emailMessage(id: number, receivedAt: string, body: unknown): SinkMessage {
  const mail = body as { to?: unknown; subject?: unknown; text?: unknown; html?: unknown };
  if (typeof mail !== 'object' || mail === null) throw new SinkInputError('body: must be a JSON object');
  if (!Array.isArray(mail.to) || mail.to.length === 0 || !mail.to.every((t) => typeof t === 'string')) {
    throw new SinkInputError('to: must be a non-empty array of addresses');
  }
  if (typeof mail.subject !== 'string') throw new SinkInputError('subject: required string');
  if (typeof mail.text !== 'string') throw new SinkInputError('text: required string');
  if (mail.html !== undefined && typeof mail.html !== 'string')
    throw new SinkInputError('html: must be a string');
  const links = new Map<string, string>();
  for (const match of (mail.html ?? '').matchAll(/<a\s[^>]*href="([^"]+)"[^>]*>([^<]*)<\/a>/gi)) {
    links.set(decodeEntities(match[1]!), decodeEntities(match[2]!.trim()) || decodeEntities(match[1]!));
  }
  for (const url of mail.text.match(urlPattern) ?? []) if (!links.has(url)) links.set(url, url);
  return {
    id,
    channel: 'email',
    receivedAt,
    to: mail.to,
    title: mail.subject,
    text: mail.text,
    links: [...links].map(([url, title]) => ({ title, url })),
    body,
  };
}
