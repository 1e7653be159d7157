import { z } from 'zod';
import type { MonitorState } from './monitor-state';

const fireSchema = z
  .object({
    rule: z.string().min(1),
    targetResource: z
      .string()
      .regex(/^\/subscriptions\//i, { error: 'must be an ARM resource id' })
      .optional(),
    severity: z.string().optional(),
    description: z.string().optional(),
    metricValue: z.number().optional(),
    webhookUrl: z.string().min(1).optional(),
  })
  .strict();

const resolveSchema = z.object({ webhookUrl: z.string().min(1).optional() }).strict();

/**
 * `/_sim/alerts…` control calls: list, fire (a new alert of a rule), resolve. Undefined when the route
 * is not an alerts route. The webhook URL may carry a secret: it is used, never echoed or logged.
 */
export async function alertControl(
  state: MonitorState,
  route: string,
  body: unknown,
): Promise<{ status: number; body: unknown } | undefined> {
  if (route === 'GET /_sim/alerts') return { status: 200, body: { rules: state.rules, alerts: state.all() } };
  if (route === 'POST /_sim/alerts')
    return { status: 201, body: await state.fire(fireSchema.parse(body ?? {})) };
  const resolve = /^POST \/_sim\/alerts\/([^/]+)\/resolve$/.exec(route);
  if (resolve) {
    const { webhookUrl } = resolveSchema.parse(body ?? {});
    return { status: 200, body: await state.resolve(decodeURIComponent(resolve[1]!), webhookUrl) };
  }
  return undefined;
}
