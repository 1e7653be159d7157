import type { HostExtension } from './extension';

/**
 * The trigger extensions `durable-recovery host` and the local lab load into every host they start.
 * The Durable backend (local/host/durable) adds itself here when it lands; until then durable triggers
 * are reported as not supported at start.
 */
export function defaultExtensions(): HostExtension[] {
  return [];
}
