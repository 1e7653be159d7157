import { escapeHtml } from './escape-text';
import type { NoticeContent } from './notice-content';

/** An e-mail's content: the same facts and links as the Teams card, as text and as HTML. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const colors = { attention: '#a4262c', good: '#107c10', warning: '#8a6d00', accent: '#0f6cbd' } as const;

/** Strips line breaks from a subject (a header: a newline there would start another header). */
const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ').slice(0, 200);

const CONFIRMATION_NOTE =
  'Opening a link shows a confirmation page; nothing is decided until you sign in and confirm there.';

export function noticeEmail(content: NoticeContent): EmailContent {
  // Approve / Reject links carry a style; notices (run and report links) need no such note.
  const decides = content.links.some((l) => l.style !== undefined);
  const width = Math.max(0, ...content.facts.map((f) => f.title.length));
  const text = [
    content.title,
    '',
    ...(content.text !== undefined ? [content.text, ''] : []),
    ...content.facts.map((f) => `${`${f.title}:`.padEnd(width + 2)}${f.value}`),
    '',
    ...content.links.map((l) => `${l.title}: ${l.url}`),
    ...(decides ? ['', CONFIRMATION_NOTE] : []),
  ].join('\n');

  const rows = content.facts
    .map(
      (f) =>
        `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(f.title)}</th><td>${escapeHtml(f.value)}</td></tr>`,
    )
    .join('\n');
  const buttons = content.links
    .map(
      (l) =>
        `<a href="${escapeHtml(l.url)}" style="display:inline-block;padding:8px 16px;margin-right:8px;border:1px solid #666;text-decoration:none">${escapeHtml(l.title)}</a>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html><body style="font-family:Segoe UI,Arial,sans-serif">
<h2 style="color:${colors[content.tone]}">${escapeHtml(content.title)}</h2>
${content.text !== undefined ? `<p>${escapeHtml(content.text)}</p>` : ''}
<table>
${rows}
</table>
<p>${buttons}</p>
${decides ? `<p style="color:#666;font-size:small">${CONFIRMATION_NOTE}</p>\n` : ''}</body></html>
`;
  return { subject: oneLine(content.title), text, html };
}
