import { createDurableExtension } from './durable/durable-extension';
import type { HostExtension } from './extension';

/**
 * The trigger extensions `durable-recovery host` and the local lab load into every host they start:
 * the local Durable backend (orchestration/activity triggers, durableClient, the Durable HTTP API).
 */
export function defaultExtensions(): HostExtension[] {
  return [createDurableExtension()];
}
