export function minutes(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '–';
  if (value < 1) return `${Math.round(value * 60)} s`;
  if (value < 120) return `${Math.round(value * 10) / 10} min`;
  return `${Math.floor(value / 60)} h ${Math.round(value % 60)} min`;
}

/** `2026-12-02 03:41:07 UTC`: auditors and SREs in other time zones read the same time. */
export function utc(iso: string | undefined | null): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function time(iso: string | undefined | null): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(11, 19);
}

export function between(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  return (new Date(to).getTime() - new Date(from).getTime()) / 60000;
}

export const shortHash = (hash: string): string => hash.slice(0, 12);

export type Tone = 'ok' | 'bad' | 'warn' | 'run' | 'idle';

/** The badge colour of a run, step, item or drill state. */
export function toneOf(state: string | undefined): Tone {
  switch (state) {
    case 'succeeded':
    case 'approved':
    case 'autoApproved':
    case 'done':
      return 'ok';
    case 'failed':
    case 'rejected':
    case 'terminated':
    case 'timedOut':
      return 'bad';
    case 'cancelled':
    case 'cancelling':
    case 'compensating':
    case 'skipped':
    case 'escalated':
    case 'waiting':
      return 'warn';
    case 'running':
    case 'preflight':
    case 'pending':
    case 'starting':
      return 'run';
    default:
      return 'idle';
  }
}
