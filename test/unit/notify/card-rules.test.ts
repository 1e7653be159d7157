import { describe, expect, it } from 'vitest';
import { workflowsMessageProblems } from './card-rules';

const ok = {
  type: 'message',
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        type: 'AdaptiveCard',
        version: '1.4',
        body: [{ type: 'TextBlock', text: 'hi', wrap: true }],
        actions: [{ type: 'Action.OpenUrl', title: 'Open', url: 'https://example.com/x' }],
      },
    },
  ],
};
interface Card {
  version: string;
  body: { type: string }[];
  actions: { type: string; url: string }[];
}
const withCard = (change: (card: Card) => void): unknown => {
  const copy = structuredClone(ok);
  change(copy.attachments[0]!.content);
  return copy;
};

// The validator guards the card tests; these prove it catches what it claims to.
describe('card rules (the validator itself)', () => {
  it('when the card is a valid 1.4 webhook card, then there are no problems', () => {
    expect(workflowsMessageProblems(ok)).toEqual([]);
  });

  it('when the card breaks a rule, then the problem is named', () => {
    expect(workflowsMessageProblems(withCard((c) => (c.version = '1.6')))).toEqual([
      'content.version: "1.6" is not 1.4',
    ]);
    expect(workflowsMessageProblems(withCard((c) => (c.body[0]!.type = 'Table')))[0]).toMatch(
      /not an Adaptive Card 1.4 element/,
    );
    expect(workflowsMessageProblems(withCard((c) => (c.actions[0]!.type = 'Action.Submit')))[0]).toMatch(
      /cannot be used in a webhook card/,
    );
    expect(
      workflowsMessageProblems(withCard((c) => (c.actions[0]!.url = 'http://evil.example/x')))[0],
    ).toMatch(/must be https/);
    expect(
      workflowsMessageProblems(withCard((c) => (c.actions[0]!.url = 'http://127.0.0.1:7071/api/approve'))),
    ).toEqual([]);
    expect(workflowsMessageProblems({ type: 'message', attachments: [] })).toEqual([
      'attachments: exactly one',
    ]);
  });
});
