import type { PortErrorInfo, PortErrorKind } from '../ports/port-error';

/**
 * How a classified error crosses the activity boundary. An activity throws an Error whose message is
 * `DR-PortError {"kind":…,"code":…,"message":…}`; the Durable host turns that into a failure the
 * orchestrator sees as text (`Activity function 'readItem' failed: DR-PortError {…}` followed by the
 * serialized exception, or `<ErrorType>: <ErrorMessage>` for hosts that send FailureDetails), possibly
 * nested inside a sub-orchestration's failure. `activityFailureInfo` finds the first marker in that text
 * and parses the JSON right after it back into PortErrorInfo.
 */
export const PORT_ERROR_MARKER = 'DR-PortError ';

const kinds: readonly PortErrorKind[] = ['retryable', 'terminal', 'notFound'];

/** The message an activity throws for a classified error. */
export function encodePortError(info: PortErrorInfo): string {
  return `${PORT_ERROR_MARKER}${JSON.stringify(info)}`;
}

/** The PortErrorInfo carried by a failure text, or undefined when the text has no (valid) marker. */
export function parsePortErrorText(text: string): PortErrorInfo | undefined {
  let from = 0;
  for (;;) {
    const at = text.indexOf(PORT_ERROR_MARKER, from);
    if (at < 0) return undefined;
    const start = at + PORT_ERROR_MARKER.length;
    const json = jsonObjectAt(text, start);
    const info = json === undefined ? undefined : toInfo(json);
    if (info) return info;
    from = start;
  }
}

/**
 * What an orchestrator should know about a failed activity or sub-orchestration: the carried
 * PortErrorInfo, or — for failures that did not come from an adapter (a bug, a host timeout) — a
 * terminal `ActivityFailed` with the first line of the failure text.
 */
export function activityFailureInfo(error: unknown): PortErrorInfo {
  const text =
    error instanceof Error
      ? `${error.message}\n${JSON.stringify((error as { failureDetails?: unknown }).failureDetails ?? '')}`
      : String(error);
  const info = parsePortErrorText(text);
  if (info) return info;
  const firstLine = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? '';
  return { kind: 'terminal', code: 'ActivityFailed', message: firstLine.slice(0, 1000) };
}

/** The balanced JSON object starting at `start` (whitespace allowed before it), parsed. */
function jsonObjectAt(text: string, start: number): unknown {
  let i = start;
  while (text[i] === ' ') i++;
  if (text[i] !== '{') return undefined;
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        return JSON.parse(text.slice(i, j + 1)) as unknown;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function toInfo(value: unknown): PortErrorInfo | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!kinds.includes(v.kind as PortErrorKind)) return undefined;
  if (typeof v.code !== 'string' || typeof v.message !== 'string') return undefined;
  return {
    kind: v.kind as PortErrorKind,
    code: v.code,
    message: v.message,
    ...(typeof v.status === 'number' ? { status: v.status } : {}),
    ...(typeof v.retryAfterSeconds === 'number' ? { retryAfterSeconds: v.retryAfterSeconds } : {}),
  };
}
