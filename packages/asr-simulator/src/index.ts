// Public entry point of the Site Recovery + Automation simulator: start it, point the Azure SDK
// clients at it, drive it through its control API, and read its ledger and scenarios.
export { startArmSimulator, type ArmSimulatorOptions, type RunningArmSimulator } from './start-arm-simulator';
export {
  armClientOptions,
  automationClientOptions,
  fakeTokenCredential,
  simulatorAgent,
  simulatorEnvironment,
  simulatorHttpClient,
  siteRecoveryClientOptions,
  type SimulatorTarget,
} from './client-options';
export { ArmSimControl, SimControlError, type AlertResource } from './control/control-client';
export type { ComputeUsage, UsageChange } from './capacity/capacity-state';
export type { HealthChange, ItemHealth } from './site-recovery/item-health';
export type { FireInput, WebhookDelivery } from './monitor/monitor-state';
export { commonAlertPayload } from './monitor/common-alert-schema';
export type { LedgerEvent, LedgerRequest } from './ledger';
export { ScenarioError, parseScenario, seedScenarioDir } from './scenario/load-scenario';
export { ensureTlsMaterial } from './http/tls-certificate';
export { armActionOf, type ArmActionRequest } from './authorization/arm-action';
export { principalOf, type Principal } from './authorization/principal';
export type { Authorization, RoleAssignment, RoleDefinition } from './authorization/authorization-schema';
export type { SimResourceState, SimResourceSummary } from './resources/resource-control';
export type { PowerState } from './resources/resource-store';
export type { SqlAvailabilityGroup } from './resources/run-command';
