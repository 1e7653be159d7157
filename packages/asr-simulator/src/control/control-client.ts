import { request } from 'node:https';
import type { Authorization } from '../authorization/authorization-schema';
import type { RestrictionInput } from '../capacity/capacity-schema';
import type { ComputeUsage, UsageChange } from '../capacity/capacity-state';
import type { FaultInput } from '../faults';
import type { LedgerEvent, LedgerRequest, OperationCounter } from '../ledger';
import type { PowerState } from '../resources/resource-store';
import type { SimResourceState, SimResourceSummary } from '../resources/resource-control';
import type { SqlAvailabilityGroup } from '../resources/run-command';
import type { FireInput, WebhookDelivery } from '../monitor/monitor-state';
import type { AlertRule } from '../monitor/alert-rules';
import type { Scenario } from '../scenario/scenario-schema';
import type { HealthChange, ItemHealth } from '../site-recovery/item-health';
import type { SimInfo, SimItemSummary } from './control-routes';

/** An alert as Alerts Management returns it (the fields tests and the lab read). */
export interface AlertResource {
  id: string;
  name: string;
  type: string;
  properties: {
    essentials: {
      alertRule: string;
      monitorCondition: 'Fired' | 'Resolved';
      alertState: string;
      severity: string;
      signalType: string;
      targetResource: string;
      startDateTime: string;
      monitorConditionResolvedDateTime?: string;
    };
  };
}

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

  // --- Capacity (compute usages and resource SKUs; docs/arm-simulator.md "Capacity") ---

  /** Usages, sizes and restrictions of every modelled region. */
  capacity(): Promise<object> {
    return this.call('GET', '/_sim/capacity');
  }

  /** Sets a usage line (`cores` or a family) in a region: its limit and/or current value. */
  setUsage(change: UsageChange): Promise<{ usage: ComputeUsage }> {
    return this.call('PUT', '/_sim/capacity/usages', change);
  }

  /** Restricts a VM size in a region (type Location) or in some of its zones (type Zone). */
  addSkuRestriction(restriction: RestrictionInput): Promise<{ restriction: object }> {
    return this.call('POST', '/_sim/capacity/restrictions', restriction);
  }

  /** Lifts restrictions: all, or those of one size (and region). */
  removeSkuRestrictions(filter: { size?: string; location?: string } = {}): Promise<{ removed: number }> {
    const query = new URLSearchParams();
    if (filter.size) query.set('size', filter.size);
    if (filter.location) query.set('location', filter.location);
    return this.call('DELETE', `/_sim/capacity/restrictions${query.size ? `?${query.toString()}` : ''}`);
  }

  // --- Replication health (docs/arm-simulator.md "Replication health over time") ---

  /** Sets an item's replicationHealth, health errors and RPO / last recovery point age now. */
  setItemHealth(vmName: string, change: HealthChange): Promise<{ vmName: string; health: ItemHealth }> {
    return this.call('PUT', `/_sim/items/${encodeURIComponent(vmName)}/health`, change);
  }

  /** Back to Normal with the scenario's RPO; replication resumes. */
  restoreItemHealth(vmName: string): Promise<{ vmName: string; health: null }> {
    return this.call('DELETE', `/_sim/items/${encodeURIComponent(vmName)}/health`);
  }

  /** The item no longer exists (the VM is gone): no longer listed, removed from native plans. */
  deleteItem(vmName: string): Promise<{ vmName: string; removed: 'delete' }> {
    return this.call('DELETE', `/_sim/items/${encodeURIComponent(vmName)}`);
  }

  /** Replication disabled: the item is no longer listed; an on-premises VM shows as an unprotected protectable item. */
  unprotectItem(vmName: string): Promise<{ vmName: string; removed: 'unprotect' }> {
    return this.call('POST', `/_sim/items/${encodeURIComponent(vmName)}/unprotect`);
  }

  // --- Azure Monitor alerts (docs/arm-simulator.md "Azure Monitor alerts") ---

  /** The scenario's alert rules and every alert fired since the last reset. */
  alerts(): Promise<{ rules: AlertRule[]; alerts: AlertResource[] }> {
    return this.call('GET', '/_sim/alerts');
  }

  /** Fires a new alert of a rule; with webhookUrl, posts the common alert schema payload there. */
  fireAlert(input: FireInput): Promise<{ alert: AlertResource; webhook?: WebhookDelivery }> {
    return this.call('POST', '/_sim/alerts', input);
  }

  /** Resolves an alert (by GUID or ARM id); with webhookUrl, posts the Resolved payload. Repeating is a no-op. */
  resolveAlert(
    alertId: string,
    options: { webhookUrl?: string } = {},
  ): Promise<{ alert: AlertResource; webhook?: WebhookDelivery }> {
    const guid = alertId.split('/').at(-1) ?? alertId;
    return this.call('POST', `/_sim/alerts/${encodeURIComponent(guid)}/resolve`, options);
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
