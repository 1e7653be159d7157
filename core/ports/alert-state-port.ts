/** An Azure Monitor alert that is fired (monitorCondition Fired) now. */
export interface FiredAlert {
  /** The alert's ARM id (…/providers/Microsoft.AlertsManagement/alerts/<guid>). */
  id: string;
  /** The alert rule's ARM id. */
  rule: string;
  firedAt?: string;
}

/** Reads alert state from Azure Monitor (Alerts Management), for recovery criteria. */
export interface AlertStatePort {
  /** Alerts of the rule (an alert rule's ARM id) whose monitor condition is Fired; [] when all resolved. */
  firedAlerts(ruleId: string): Promise<FiredAlert[]>;
}
