/** Hard limits for plan files. They protect the validator and the orchestrator, not ASR (we are not bound by its 100 items). */
export const LIMITS = {
  /** Largest plan file accepted, in bytes of UTF-8: the CLI and the API (PUT /api/plans, /api/validate) alike. */
  maxSourceBytes: 1024 * 1024,
  /** Deepest nesting of maps/lists in a plan document. Real plans need about 8. */
  maxDepth: 32,
  /** YAML alias expansions per document, nested ones included (alias bombs). */
  maxAliasCount: 100,
  /** Values copied by alias expansions in total, so aliases cannot multiply the work of a large file. */
  maxAliasValues: 50_000,
  /** Steps in a plan: in `steps`, and across all `groups` together. */
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
  /** Problems listed per validation; the rest are counted in one last issue (`limits/issues`). */
  maxIssues: 100,
  /** Did-you-mean suggestions per validation, and candidates compared for each. */
  maxSuggestions: 100,
  maxSuggestionCandidates: 2_000,
  maxBackoffSeconds: 3_600,
} as const;
