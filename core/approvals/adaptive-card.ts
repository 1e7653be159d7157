/**
 * The subset of Adaptive Cards the notices use. Version 1.4 is what Teams renders for Workflows
 * ("post to a channel when a webhook request is received") cards on desktop, web and mobile; webhook
 * cards cannot submit, so the only action is Action.OpenUrl.
 */
export const CARD_VERSION = '1.4';
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  weight?: 'Bolder';
  size?: 'Medium' | 'Large';
  color?: 'Attention' | 'Good' | 'Warning' | 'Accent';
  isSubtle?: boolean;
}

export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
}

export type CardElement = TextBlock | FactSet;

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
  style?: 'positive' | 'destructive';
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: typeof CARD_SCHEMA;
  version: typeof CARD_VERSION;
  body: CardElement[];
  actions?: OpenUrlAction[];
  msteams?: { width: 'Full' };
}

/** The body a Teams Workflows webhook expects: a message with one Adaptive Card attachment. */
export interface WorkflowsMessage {
  type: 'message';
  attachments: { contentType: typeof CARD_CONTENT_TYPE; contentUrl: null; content: AdaptiveCard }[];
}

export function card(body: CardElement[], actions: OpenUrlAction[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

export function workflowsMessage(content: AdaptiveCard): WorkflowsMessage {
  return { type: 'message', attachments: [{ contentType: CARD_CONTENT_TYPE, contentUrl: null, content }] };
}
