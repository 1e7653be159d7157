import { card, workflowsMessage, type WorkflowsMessage } from './adaptive-card';
import { escapeMarkdown } from './escape-text';
import type { NoticeContent } from './notice-content';

const colors = { attention: 'Attention', good: 'Good', warning: 'Warning', accent: 'Accent' } as const;

/** The Teams Workflows message for a notice: title, text, facts, and each link as an Action.OpenUrl button. */
export function noticeCard(content: NoticeContent): WorkflowsMessage {
  return workflowsMessage(
    card(
      [
        {
          type: 'TextBlock',
          text: escapeMarkdown(content.title),
          wrap: true,
          weight: 'Bolder',
          size: 'Medium',
          color: colors[content.tone],
        },
        ...(content.text !== undefined
          ? [{ type: 'TextBlock' as const, text: escapeMarkdown(content.text), wrap: true as const }]
          : []),
        {
          type: 'FactSet',
          facts: content.facts.map((f) => ({
            title: escapeMarkdown(f.title),
            value: escapeMarkdown(f.value),
          })),
        },
      ],
      content.links.map((l) => ({
        type: 'Action.OpenUrl',
        title: l.title,
        url: l.url,
        ...(l.style ? { style: l.style } : {}),
      })),
    ),
  );
}
