/** Hard limits for plan files. They protect the validator and the orchestrator, not ASR (we are not bound by its 100 items). */
export const LIMITS = {
  /** Largest plan file accepted, in bytes of UTF-8. */
  maxSourceBytes: 10 * 1024 * 1024,
  /** Deepest nesting of maps/lists in a plan document. Real plans need about 8. */
  maxDepth: 32,
  /** YAML alias expansion budget (the yaml library's resource-exhaustion guard). */
  maxAliasCount: 100,
  maxSteps: 2_000,
  /** Replicated items across all failover steps of one plan. */
  maxItems: 10_000,
  maxGroups: 500,
  maxDependsOn: 2_000,
  maxApproverGroups: 100,
  maxGroupMembers: 500,
  maxStringLength: 2_048,
  /** Upper bound of every duration given in minutes: 7 days. */
  maxMinutes: 7 * 24 * 60,
  maxRetryAttempts: 20,
  maxBackoffSeconds: 3_600,
} as const;
