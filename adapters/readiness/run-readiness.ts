import { readinessReport, type ReadinessReport } from '../../core/readiness/readiness-report';
import type { NotifySettings } from '../notify/notify-settings';
import { accessChecks, type AccessDeps } from './access-checks';
import { notificationChecks } from './notification-checks';
import { storageAndPlans, type StorageDeps } from './storage-checks';
import { settingsChecks } from './settings-checks';

export interface ReadinessDeps extends AccessDeps, StorageDeps {
  notify: NotifySettings;
  /** APPROVAL_SIGNING_KEY is set and valid. */
  approvalsOn: boolean;
  now(): Date;
}

/**
 * Everything a deployment needs to run its stored plans, checked without changing anything: settings,
 * Key Vault references, storage, the identity's role and read access on each plan's vault and
 * Automation account, the runbooks plans name, and a channel for every approver group plans ask.
 */
export async function runReadiness(deps: ReadinessDeps): Promise<ReadinessReport> {
  const settings = settingsChecks(deps.env);
  const stored = await storageAndPlans(deps);
  const access = await accessChecks(deps, stored.plans);
  const notices = notificationChecks(stored.plans, deps.notify, deps.approvalsOn);
  return readinessReport([...settings, ...stored.checks, ...access, ...notices], deps.now().toISOString());
}
