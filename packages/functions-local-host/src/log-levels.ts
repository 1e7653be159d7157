// host.json `logging.logLevel` filtering, as the real host applies it to function logs: the most specific
// category wins (`Function.<name>.User`, `Function.<name>`, `Function`, then `default`).
import type { HostLogger } from './extension';

const order = ['trace', 'debug', 'information', 'warning', 'error', 'critical', 'none'] as const;
export type RpcLogLevel = (typeof order)[number];

function rank(level: string): number {
  const normalized = level.toLowerCase() === 'info' ? 'information' : level.toLowerCase();
  const index = order.indexOf(normalized as RpcLogLevel);
  return index < 0 ? order.indexOf('information') : index;
}

/** Reads `logging.logLevel` from a parsed host.json. */
export function logLevelsOf(hostJson: Record<string, unknown>): Record<string, string> {
  const logging = hostJson.logging as { logLevel?: Record<string, unknown> } | undefined;
  const levels: Record<string, string> = {};
  for (const [category, level] of Object.entries(logging?.logLevel ?? {})) {
    if (typeof level === 'string') levels[category] = level;
  }
  return levels;
}

/** Whether a user log at `level` from `functionName` passes the configured filter. */
export function isLogEnabled(levels: Record<string, string>, functionName: string, level: string): boolean {
  const categories = [`Function.${functionName}.User`, `Function.${functionName}`, 'Function', 'default'];
  const configured = categories.map((c) => levels[c]).find((l) => l !== undefined) ?? 'Information';
  if (rank(configured) === order.indexOf('none')) return false;
  return rank(level) >= rank(configured);
}

/** Writes a log line at the matching HostLogger severity. */
export function writeAtLevel(log: HostLogger, level: string, line: string): void {
  const r = rank(level);
  if (r >= rank('error')) log.error(line);
  else if (r === rank('warning')) log.warn(line);
  else log.info(line);
}
