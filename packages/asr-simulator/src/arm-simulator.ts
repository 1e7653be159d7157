import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as wait } from 'node:timers/promises';
import { ArmError } from './arm-error';
import { Authorizer, permissionsScopeOf } from './authorization/authorizer';
import { addAutomationRoutes, addWebhookRoute } from './automation/automation-routes';
import { AutomationState } from './automation/automation-state';
import { addComputeRoutes } from './capacity/compute-routes';
import { CapacityState } from './capacity/capacity-state';
import { failoverVms } from './capacity/failover-vms';
import { SimClock } from './clock';
import { FaultInjector } from './faults';
import type { ArmRequest, ArmResponse } from './http/route-table';
import { RouteTable } from './http/route-table';
import { Ledger } from './ledger';
import { addAlertRoutes } from './monitor/alert-routes';
import { MonitorState } from './monitor/monitor-state';
import { principalOf, RateLimiter, type RateDecision } from './rate-limiter';
import { addResourceRoutes, applyItemOutcome, createResourceState, type ResourceState } from './resources';
import type { Scenario } from './scenario/scenario-schema';
import { addRecoveryPlanRoutes } from './site-recovery/recovery-plan-routes';
import { addOperationResultRoutes, addSiteRecoveryRoutes } from './site-recovery/site-recovery-routes';
import { SiteRecoveryState } from './site-recovery/site-recovery-state';

const maxBodyBytes = 4 * 1024 * 1024;

/**
 * The simulated ARM front door: authentication, api-version, fault injection, routing to the
 * Site Recovery and Automation handlers, the ARM error envelope and the ledger. Transport-agnostic:
 * `handle` takes a node request/response; start-arm-simulator.ts puts it behind HTTPS.
 */
export class ArmSimulator {
  readonly ledger: Ledger;
  readonly faults = new FaultInjector();
  readonly clock: SimClock;
  /** RBAC: the scenario's `authorization` section, replaceable through the control API. */
  readonly authorizer: Authorizer;
  siteRecovery: SiteRecoveryState;
  automation: AutomationState;
  /** Compute and network resources (VMs, NICs, public IPs, LBs, NSGs, VNets, TM, DNS): resources/. */
  resources: ResourceState;
  /** Compute usages and resource SKUs (capacity/). */
  capacity: CapacityState;
  /** Azure Monitor alerts of the scenario's alert rules (monitor/). */
  monitor: MonitorState;
  private readonly routes = new RouteTable();
  /** ARM throttling: token buckets per principal, reads and writes (rate-limiter.ts). */
  readonly rateLimiter = new RateLimiter(
    () => this.scenario.rateLimits,
    () => this.clock.simSeconds(),
    () => this.clock.timeScale,
  );

  constructor(
    public scenario: Scenario,
    timeScale: number,
    seed: number,
  ) {
    this.clock = new SimClock(timeScale, seed);
    this.authorizer = new Authorizer(scenario.authorization);
    this.ledger = new Ledger(() => this.clock.simSeconds());
    this.siteRecovery = new SiteRecoveryState(scenario, this.clock, this.ledger, this.faults);
    this.automation = new AutomationState(scenario, this.clock, this.ledger);
    this.resources = this.connectResources(scenario);
    this.capacity = new CapacityState(scenario, () => failoverVms(this.siteRecovery));
    this.monitor = new MonitorState(scenario, this.ledger);
    addSiteRecoveryRoutes(this.routes, () => this.siteRecovery);
    addRecoveryPlanRoutes(
      this.routes,
      () => this.siteRecovery,
      () => this.automation,
    );
    addOperationResultRoutes(this.routes, () => this.siteRecovery);
    addAutomationRoutes(this.routes, () => this.automation);
    addWebhookRoute(this.routes, () => this.automation);
    addComputeRoutes(this.routes, () => this.capacity);
    addAlertRoutes(
      this.routes,
      () => this.monitor,
      () => this.scenario.subscriptionId,
    );
    addResourceRoutes(this.routes, () => this.resources);
  }

  /** A fresh resource state whose recovered VMs follow the Site Recovery items' failovers. */
  private connectResources(scenario: Scenario): ResourceState {
    const resources = createResourceState(scenario, this.clock, this.ledger, this.faults);
    this.siteRecovery.onOutcome = (item, operation, shutdownSource, input) =>
      applyItemOutcome(resources, {
        vmName: item.vmName,
        spec: item.spec,
        provider: item.provider,
        activeLocation: item.activeLocation,
        operation,
        shutdownSource,
        testNetworkId: input.networkId,
      });
    return resources;
  }

  /** Replaces all service state with a fresh copy of `scenario`; running jobs stop. Faults and ledger stay. */
  load(scenario: Scenario): void {
    this.stopJobs();
    this.rateLimiter.reset();
    this.scenario = scenario;
    this.authorizer.policy = scenario.authorization;
    this.siteRecovery = new SiteRecoveryState(scenario, this.clock, this.ledger, this.faults);
    this.automation = new AutomationState(scenario, this.clock, this.ledger);
    this.resources = this.connectResources(scenario);
    this.capacity = new CapacityState(scenario, () => failoverVms(this.siteRecovery));
    this.monitor = new MonitorState(scenario, this.ledger);
  }

  stopJobs(): void {
    this.siteRecovery.stop();
    this.automation.stopAll();
    this.clock.stopAll();
  }

  async handle(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const requestId = randomUUID();
    const headers: Record<string, string> = {
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': requestId,
      'x-ms-routing-request-id': `LOCAL:${new Date().toISOString().replace(/[-:]|\.\d+/g, '')}:${requestId}`,
      'Cache-Control': 'no-cache',
      Pragma: 'no-cache',
      Expires: '-1',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    };
    const clientRequestId = req.headers['x-ms-client-request-id'];
    if (typeof clientRequestId === 'string') headers['x-ms-client-request-id'] = clientRequestId;

    const matched = this.routes.match(method, path);
    const operation = 'route' in matched ? matched.route.operation : 'Unknown';
    let target: string | undefined;
    let rate: RateDecision | undefined;
    let action: string | undefined;
    const send = (
      status: number,
      body: unknown,
      extra: Record<string, string> = {},
      outcome?: string,
      text?: string,
    ): void => {
      if (rate) headers[`x-ms-ratelimit-remaining-subscription-${rate.kind}`] = String(rate.remaining);
      const payload = text !== undefined ? text : body === undefined ? '' : JSON.stringify(body);
      const type = text !== undefined ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
      res.writeHead(status, {
        ...headers,
        ...extra,
        ...(payload ? { 'Content-Type': type } : {}),
        'Content-Length': String(Buffer.byteLength(payload)),
      });
      res.end(payload);
      this.ledger.record({
        method,
        path,
        operation,
        target,
        outcome: outcome ?? defaultOutcome(status),
        status,
        ...(action ? { action } : {}),
      });
    };
    const sendError = (error: ArmError, outcome?: string): void =>
      send(error.status, error.body(), error.headers, outcome);

    try {
      const isWebhook = 'route' in matched && matched.route.template === '/webhooks';
      if (!isWebhook && !/^Bearer \S+/i.test(req.headers.authorization ?? ''))
        return sendError(
          new ArmError(
            401,
            'AuthenticationFailed',
            "Authentication failed. The 'Authorization' header is missing or is not a Bearer token.",
          ),
          'unauthorized',
        );
      const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      const permissionsScope = method === 'GET' ? permissionsScopeOf(path) : undefined;
      if (permissionsScope)
        return send(200, { value: this.authorizer.permissionsAt(permissionsScope, token) }, {}, 'ok');
      if (!isWebhook) {
        const decision = this.authorizer.check(method, path, token);
        action = decision.action;
        if (!decision.allowed) return sendError(decision.error, 'forbidden');
      }
      if (!('route' in matched)) {
        if (matched.allowed.length > 0)
          return sendError(
            new ArmError(
              405,
              'MethodNotAllowed',
              `The method '${method}' is not supported on '${path}'. Supported: ${matched.allowed.join(', ')}.`,
            ),
          );
        return sendError(
          new ArmError(404, 'NotFound', `No simulated resource or operation at '${path}'.`),
          'not-found',
        );
      }
      const { route, params } = matched;
      if (route.apiVersions.length > 0) {
        const version = url.searchParams.get('api-version');
        if (!version)
          return sendError(
            new ArmError(
              400,
              'MissingApiVersionParameter',
              'The api-version query parameter (?api-version=) is required for all requests.',
            ),
            'bad-request',
          );
        if (!route.apiVersions.includes(version))
          return sendError(
            new ArmError(
              400,
              'InvalidApiVersionParameter',
              `The api-version '${version}' is invalid. The supported versions for this operation are '${route.apiVersions.join(',')}'.`,
            ),
            'bad-request',
          );
      }
      if (!isWebhook) {
        rate = this.rateLimiter.take(principalOf(req.headers.authorization), method);
        if (rate && !rate.allowed)
          return sendError(
            new ArmError(
              429,
              'TooManyRequests',
              `Number of ${rate.kind === 'reads' ? 'read' : 'write'} requests for subscription '${this.scenario.subscriptionId}' and principal exceeded the limit; retry after ${rate.retryAfterSeconds} second(s).`,
              [],
              {
                'Retry-After': String(rate.retryAfterSeconds),
                ...(rate.retryAfterMs !== undefined ? { 'retry-after-ms': String(rate.retryAfterMs) } : {}),
              },
            ),
            'throttled',
          );
      }
      for (const fault of this.faults.forRequest(method, path, operation)) {
        if (fault.delayMs > 0) await wait(fault.delayMs);
        if (fault.kind === 'delay') continue;
        if (fault.kind === 'reset') {
          this.ledger.record({ method, path, operation, outcome: 'fault:reset', status: 0 });
          req.socket.destroy();
          return;
        }
        const extra: Record<string, string> =
          fault.kind === 'throttle' || fault.status === 503
            ? { 'Retry-After': String(fault.retryAfterSeconds) }
            : {};
        return sendError(
          new ArmError(fault.status, fault.code, fault.message, [], extra),
          `fault:${fault.status}`,
        );
      }
      const body = await readJson(req);
      const armRequest: ArmRequest = {
        method,
        path,
        params,
        query: url.searchParams,
        body,
        headers: req.headers,
        origin,
      };
      const response: ArmResponse = await route.handle(armRequest);
      target = response.target;
      send(response.status, response.body, response.headers, response.outcome, response.text);
    } catch (error) {
      if (error instanceof ArmError)
        return sendError(
          error,
          error.status === 404
            ? 'not-found'
            : error.status === 409 || error.code === 'BadRequest'
              ? 'refused'
              : undefined,
        );
      const message = error instanceof Error ? error.message : String(error);
      sendError(new ArmError(500, 'InternalServerError', `The simulator failed: ${message}`));
    }
  }
}

function defaultOutcome(status: number): string {
  if (status === 202) return 'accepted';
  if (status < 300) return 'ok';
  if (status === 404) return 'not-found';
  if (status === 401) return 'unauthorized';
  if (status < 500) return 'bad-request';
  return 'error';
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes)
      throw new ArmError(413, 'RequestEntityTooLarge', `The request body exceeds ${maxBodyBytes} bytes.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const type = req.headers['content-type'] ?? '';
    // Webhook callers may post any body; it reaches the runbook as RequestBody text.
    if (!type.includes('json')) return text;
    throw new ArmError(
      400,
      'InvalidRequestContent',
      'The request content was invalid and could not be deserialized: not valid JSON.',
    );
  }
}
