import { request } from 'node:https';
import type { Authorization } from '../authorization/authorization-schema';
import type { FaultInput } from '../faults';
import type { LedgerEvent, LedgerRequest, OperationCounter } from '../ledger';
import type { PowerState } from '../resources/resource-store';
import type { SimResourceState, SimResourceSummary } from '../resources/resource-control';
import type { SqlAvailabilityGroup } from '../resources/run-command';
import type { Scenario } from '../scenario/scenario-schema';
import type { SimInfo, SimItemSummary } from './control-routes';

/** A control-plane call the simulator refused; `status` and `body.error.message` say why. */
export class SimControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SimControlError';
  }
}

/** Typed client for `/_sim`: what tests, benches and the lab use to drive the simulator. */
export class ArmSimControl {
  constructor(
    private readonly endpoint: string,
    private readonly caCertPem: string,
  ) {}

  /** Replaces the role assignments and roles until the next reset (which restores the scenario's). */
  setAuthorization(authorization: {
    roles?: Authorization['roles'];
    assignments: Authorization['assignments'];
  }): Promise<{ authorization: Authorization }> {
    return this.call('PUT', '/_sim/authorization', authorization);
  }

  /** Back to no access control: every caller may do everything. */
  clearAuthorization(): Promise<{ authorization: null }> {
    return this.call('DELETE', '/_sim/authorization');
  }

  info(): Promise<SimInfo> {
    return this.call('GET', '/_sim/info');
  }

  /** Replaces the service state: a seed name (`demo-shop`), a scenario file path, or an inline scenario. */
  loadScenario(source: { seed: string } | { file: string } | { scenario: unknown }): Promise<SimInfo> {
    return this.call('POST', '/_sim/scenario', source);
  }

  scenario(): Promise<Scenario> {
    return this.call('GET', '/_sim/scenario');
  }

  /** Back to the loaded scenario's initial state; clears faults and the ledger. */
  reset(): Promise<SimInfo> {
    return this.call('POST', '/_sim/reset');
  }

  addFault(fault: FaultInput): Promise<{ id: number }> {
    return this.call('POST', '/_sim/faults', fault);
  }

  faults(): Promise<{ faults: object[] }> {
    return this.call('GET', '/_sim/faults');
  }

  clearFaults(): Promise<{ faults: object[] }> {
    return this.call('DELETE', '/_sim/faults');
  }

  ledger(
    options: { since?: number; operation?: string } = {},
  ): Promise<{ requests: LedgerRequest[]; events: LedgerEvent[] }> {
    const query = new URLSearchParams();
    if (options.since !== undefined) query.set('since', String(options.since));
    if (options.operation) query.set('operation', options.operation);
    return this.call('GET', `/_sim/ledger${query.size ? `?${query.toString()}` : ''}`);
  }

  clearLedger(): Promise<{ cleared: boolean }> {
    return this.call('DELETE', '/_sim/ledger');
  }

  counters(): Promise<Record<string, OperationCounter>> {
    return this.call('GET', '/_sim/counters');
  }

  items(): Promise<{ items: SimItemSummary[] }> {
    return this.call('GET', '/_sim/items');
  }

  /** Compute and network resources, optionally of one type (`Microsoft.Network/networkInterfaces`) or group. */
  resources(
    filter: { type?: string; resourceGroup?: string } = {},
  ): Promise<{ resources: SimResourceSummary[] }> {
    const query = new URLSearchParams();
    if (filter.type) query.set('type', filter.type);
    if (filter.resourceGroup) query.set('resourceGroup', filter.resourceGroup);
    return this.call('GET', `/_sim/resources${query.size ? `?${query.toString()}` : ''}`);
  }

  /** One resource as ARM renders it, with its power state (VMs) and any operation in flight. */
  resourceState(id: string): Promise<SimResourceState> {
    return this.call('GET', `/_sim/resources/state?id=${encodeURIComponent(id)}`);
  }

  /** Sets a VM's power state without an ARM call (an outage, a replica that is down). */
  setPowerState(id: string, powerState: PowerState): Promise<{ id: string; powerState: PowerState }> {
    return this.call('PUT', '/_sim/resources/power-state', { id, powerState });
  }

  /** The SQL Server availability groups and which replica is primary now. */
  sqlAvailabilityGroups(): Promise<{ groups: SqlAvailabilityGroup[] }> {
    return this.call('GET', '/_sim/sql-availability-groups');
  }

  setTimeScale(timeScale: number): Promise<SimInfo> {
    return this.call('PUT', '/_sim/time-scale', { timeScale });
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = request(
        `${this.endpoint}${path}`,
        {
          method,
          ca: this.caCertPem,
          headers: payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              return reject(
                new SimControlError(
                  res.statusCode ?? 0,
                  `control plane answered non-JSON: ${text.slice(0, 200)}`,
                ),
              );
            }
            if ((res.statusCode ?? 500) >= 400) {
              const message = (parsed as { error?: { message?: string } }).error?.message ?? text;
              return reject(new SimControlError(res.statusCode ?? 0, message));
            }
            resolve(parsed as T);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}
