/* eslint-disable @typescript-eslint/no-explicit-any -- this walks untyped JSON on purpose */
// A structural check of Teams Workflows messages against the Adaptive Card rules that decide whether
// Teams renders them: schema version 1.4, element and action types that exist in 1.4, no actions a
// webhook card cannot perform, and links Teams can open (https, or loopback in the local lab).

const ELEMENTS_1_4 = new Set([
  'TextBlock',
  'Image',
  'Media',
  'RichTextBlock',
  'ActionSet',
  'Container',
  'ColumnSet',
  'Column',
  'FactSet',
  'ImageSet',
  'Input.Text',
  'Input.Number',
  'Input.Date',
  'Input.Time',
  'Input.Toggle',
  'Input.ChoiceSet',
]);
/** Action.Submit needs a bot and Action.Execute a bot with Universal Actions: webhook cards cannot use them. */
const WEBHOOK_ACTIONS = new Set(['Action.OpenUrl', 'Action.ShowCard', 'Action.ToggleVisibility']);

function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function checkUrl(value: unknown, where: string, problems: string[]): void {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    problems.push(`${where}: not an absolute URL`);
    return;
  }
  if (url.protocol !== 'https:' && !isLoopback(url))
    problems.push(`${where}: must be https (or loopback http)`);
}

function checkElements(elements: unknown, where: string, problems: string[]): void {
  if (!Array.isArray(elements)) return problems.push(`${where}: must be an array`) as unknown as void;
  elements.forEach((element: any, i) => {
    const at = `${where}[${i}]`;
    if (!ELEMENTS_1_4.has(element?.type))
      problems.push(`${at}.type: "${element?.type}" is not an Adaptive Card 1.4 element`);
    if (element?.type === 'TextBlock' && (typeof element.text !== 'string' || element.text === '')) {
      problems.push(`${at}.text: required`);
    }
    if (element?.type === 'FactSet') {
      if (!Array.isArray(element.facts) || element.facts.length === 0)
        problems.push(`${at}.facts: at least one`);
      for (const [j, fact] of (element.facts ?? []).entries()) {
        if (typeof fact?.title !== 'string' || typeof fact?.value !== 'string')
          problems.push(`${at}.facts[${j}]: title and value strings`);
      }
    }
    if (element?.items) checkElements(element.items, `${at}.items`, problems);
    if (element?.actions) checkActions(element.actions, `${at}.actions`, problems);
  });
}

function checkActions(actions: unknown, where: string, problems: string[]): void {
  if (!Array.isArray(actions)) return problems.push(`${where}: must be an array`) as unknown as void;
  actions.forEach((action: any, i) => {
    const at = `${where}[${i}]`;
    if (!WEBHOOK_ACTIONS.has(action?.type))
      problems.push(`${at}.type: "${action?.type}" cannot be used in a webhook card`);
    if (typeof action?.title !== 'string' || action.title === '') problems.push(`${at}.title: required`);
    if (action?.type === 'Action.OpenUrl') checkUrl(action.url, `${at}.url`, problems);
  });
}

/** Problems with a Workflows webhook body; empty when Teams will render it. */
export function workflowsMessageProblems(message: any): string[] {
  const problems: string[] = [];
  if (message?.type !== 'message') problems.push('type: must be "message"');
  if (!Array.isArray(message?.attachments) || message.attachments.length !== 1) {
    problems.push('attachments: exactly one');
    return problems;
  }
  const attachment = message.attachments[0];
  if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') {
    problems.push('attachments[0].contentType: must be application/vnd.microsoft.card.adaptive');
  }
  const card = attachment.content;
  if (card?.type !== 'AdaptiveCard') problems.push('content.type: must be "AdaptiveCard"');
  if (card?.version !== '1.4') problems.push(`content.version: "${card?.version}" is not 1.4`);
  checkElements(card?.body, 'content.body', problems);
  if (card?.actions !== undefined) checkActions(card.actions, 'content.actions', problems);
  if (JSON.stringify(message).length > 28_000) problems.push('message: larger than the 28 KB Teams accepts');
  return problems;
}
