import { escapeHtml } from '../../core/approvals/escape-text';
import type { SinkMessage } from './sink-message';

/** The page listing captured messages, newest first, with their links clickable. Refreshes itself (no JS). */
export function sinksPage(messages: SinkMessage[], endpoints: { teams: string; email: string }): string {
  const items = [...messages]
    .reverse()
    .map(
      (m) => `<article>
<h2>#${m.id} ${m.channel === 'teams' ? 'Teams' : 'E-mail'} → ${escapeHtml(m.to.join(', '))}: ${escapeHtml(m.title)}</h2>
<p class="meta">${escapeHtml(m.receivedAt)}</p>
<p>${m.links.map((l) => `<a href="${escapeHtml(l.url)}">${escapeHtml(l.title)}</a>`).join(' · ') || '<em>no links</em>'}</p>
<pre>${escapeHtml(m.text)}</pre>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Durable Recovery — captured messages</title>
<style>body{font-family:Segoe UI,Arial,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
article{border:1px solid #ccc;border-radius:4px;padding:.5rem 1rem;margin:1rem 0}h2{font-size:1.05rem}
.meta{color:#666;font-size:small}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}
a{display:inline-block;padding:.2rem .6rem;border:1px solid #0f6cbd;border-radius:3px;text-decoration:none}</style>
</head><body>
<h1>Captured messages (${messages.length})</h1>
<p>Teams webhook: <code>${escapeHtml(endpoints.teams)}/&lt;channel&gt;</code> · E-mail: <code>${escapeHtml(endpoints.email)}</code> · <a href="messages">JSON</a></p>
${items || '<p>Nothing captured yet. Approval requests and run notices appear here.</p>'}
</body></html>
`;
}
