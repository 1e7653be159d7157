import { ZodError } from 'zod';
import { ArmError } from '../arm-error';
import type { ArmSimulator } from '../arm-simulator';
import { capacityControl } from '../capacity/capacity-control';
import { alertControl } from '../monitor/alert-control';
import { healthControl } from '../site-recovery/health-control';

export interface ControlReply {
  status: number;
  body: unknown;
}

/**
 * The control calls of the readiness models (capacity, replication health, alerts), tried before the
 * control plane answers 404. Refusals become 4xx replies naming the field and the rule.
 */
export async function readinessControl(
  sim: ArmSimulator,
  route: string,
  query: URLSearchParams,
  body: unknown,
): Promise<ControlReply | undefined> {
  try {
    return (
      capacityControl(sim.capacity, route, query, body) ??
      healthControl(sim.siteRecovery, route, body) ??
      (await alertControl(sim.monitor, route, body))
    );
  } catch (error) {
    if (error instanceof ArmError) return { status: error.status, body: error.body() };
    if (error instanceof ZodError)
      return {
        status: 400,
        body: {
          error: {
            code: 'BadRequest',
            message: error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
          },
        },
      };
    throw error;
  }
}
