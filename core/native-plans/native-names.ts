// Names a native plan carries (plan names, action names, runbook ids) turned into the plan format's.

/** A plan's `metadata.name` (and file name) from a native plan name: lowercase letters, digits, `-`. */
export function planNameFrom(nativeName: string): string {
  const name = nativeName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
  return name === '' ? 'imported-plan' : name;
}

/** A step id from an action name: letters, digits, `-`, `_`, unique among `taken` (which it joins). */
export function stepIdFrom(actionName: string, taken: Set<string>, fallback: string): string {
  let base = actionName
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 59)
    .replace(/-+$/g, '');
  if (base === '') base = fallback;
  let id = base;
  for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`;
  taken.add(id.toLowerCase());
  return id;
}

/** Account, runbook, resource group and subscription of a runbook ARM id; undefined when it is none. */
export function parseRunbookId(
  id: string,
): { subscriptionId: string; resourceGroup: string; account: string; name: string } | undefined {
  const match =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Automation\/automationAccounts\/([^/]+)\/runbooks\/([^/]+)\/?$/i.exec(
      id,
    );
  if (!match) return undefined;
  const [, subscriptionId, resourceGroup, account, name] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { subscriptionId, resourceGroup, account, name };
}

export function runbookId(parts: {
  subscriptionId: string;
  resourceGroup: string;
  account: string;
  name: string;
}): string {
  return `/subscriptions/${parts.subscriptionId}/resourceGroups/${parts.resourceGroup}/providers/Microsoft.Automation/automationAccounts/${parts.account}/runbooks/${parts.name}`;
}

/** Minutes of an ASR action timeout (`PT1H30M`, `PT20M`, `1200` seconds); undefined when unreadable. */
export function timeoutMinutes(timeout: string | undefined): number | undefined {
  if (timeout === undefined || timeout.trim() === '') return undefined;
  const text = timeout.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) / 60;
  const iso = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(text);
  if (!iso || (!iso[1] && !iso[2] && !iso[3])) return undefined;
  return Number(iso[1] ?? 0) * 60 + Number(iso[2] ?? 0) + Number(iso[3] ?? 0) / 60;
}

/** The ASR timeout for a runbook step's minutes: whole minutes as `PT{n}M`, else seconds. */
export function timeoutText(minutes: number): string {
  return Number.isInteger(minutes) ? `PT${minutes}M` : `PT${Math.round(minutes * 60)}S`;
}

/** Our runbook steps default to 60 minutes; a native action without a timeout is written without one. */
export const DEFAULT_RUNBOOK_MINUTES = 60;

/** The label listing the steps whose native action runs on the primary side (`fabricLocation: Primary`). */
export const PRIMARY_SIDE_LABEL = 'asr-primary-side';

export const primarySideSteps = (labels: Record<string, string> | undefined): Set<string> =>
  new Set(
    (labels?.[PRIMARY_SIDE_LABEL] ?? '')
      .split(/[\s,]+/)
      .filter((s) => s !== '')
      .map((s) => s.toLowerCase()),
  );
