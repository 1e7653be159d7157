/**
 * Single-use markers for approval tokens. `markUsed` must be atomic (create-if-absent): of two
 * concurrent calls with the same id exactly one returns true.
 */
export interface UsedTokenStorePort {
  /** Records the token id as used; false when it was already used. */
  markUsed(tokenId: string, record: { runId: string; stepId: string; at: string }): Promise<boolean>;
  /** Read-only check, for the confirmation page (GET must not change state). */
  isUsed(tokenId: string): Promise<boolean>;
}
