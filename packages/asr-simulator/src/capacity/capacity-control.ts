import { z } from 'zod';
import type { CapacityState } from './capacity-state';

const usageChangeSchema = z
  .object({
    subscriptionId: z.string().uuid().optional(),
    location: z.string().min(1),
    name: z.string().min(1),
    limit: z.number().int().nonnegative().optional(),
    currentValue: z.number().int().nonnegative().optional(),
  })
  .strict();

/**
 * `/_sim/capacity…` control calls: read the capacity, change a usage line, add or remove SKU
 * restrictions. Undefined when the route is not a capacity route. Errors are thrown (ArmError, ZodError).
 */
export function capacityControl(
  state: CapacityState,
  route: string,
  query: URLSearchParams,
  body: unknown,
): { status: number; body: unknown } | undefined {
  switch (route) {
    case 'GET /_sim/capacity':
      return { status: 200, body: state.summary() };
    case 'PUT /_sim/capacity/usages':
      return { status: 200, body: { usage: state.setUsage(usageChangeSchema.parse(body)) } };
    case 'POST /_sim/capacity/restrictions':
      return { status: 201, body: { restriction: state.addRestriction(body) } };
    case 'DELETE /_sim/capacity/restrictions': {
      const removed = state.removeRestrictions({
        size: query.get('size') ?? undefined,
        location: query.get('location') ?? undefined,
      });
      return { status: 200, body: { removed } };
    }
    default:
      return undefined;
  }
}
