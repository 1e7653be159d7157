export interface AutomationAccountRef {
  subscriptionId: string;
  resourceGroup: string;
  account: string;
}

export type AutomationJobStatus =
  | 'New'
  | 'Activating'
  | 'Running'
  | 'Completed'
  | 'Failed'
  | 'Stopped'
  | 'Stopping'
  | 'Suspended'
  | 'Suspending'
  | 'Resuming'
  | 'Blocked'
  | 'Disconnected'
  | 'Removing';

export interface AutomationJob {
  /** The client-chosen job name (a GUID derived from run and step, so a retried start adopts it). */
  name: string;
  runbook: string;
  status: AutomationJobStatus;
  startTime?: string;
  endTime?: string;
  exception?: string;
}

/** Azure Automation, as runbook steps use it. Implementations classify failures as PortError. */
export interface AutomationPort {
  runbookExists(account: AutomationAccountRef, runbook: string): Promise<boolean>;
  /** Creates the job with this name, or returns the existing one when it was already created. */
  startJob(
    account: AutomationAccountRef,
    jobName: string,
    runbook: string,
    parameters: Record<string, string>,
  ): Promise<AutomationJob>;
  getJob(account: AutomationAccountRef, jobName: string): Promise<AutomationJob>;
  /** The job's output stream as text (truncated by the adapter to a sane size). */
  getJobOutput(account: AutomationAccountRef, jobName: string): Promise<string>;
  stopJob(account: AutomationAccountRef, jobName: string): Promise<void>;
}
