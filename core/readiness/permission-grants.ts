/** One role's share of the caller's permissions at a scope (ARM's Permissions - List For Resource). */
export interface PermissionGrant {
  actions: string[];
  notActions: string[];
}

/**
 * The required actions the grants do not cover, as ARM evaluates them: an action is granted when some
 * role's `actions` match it (`*` wildcards, case-insensitive) and that role's `notActions` do not.
 */
export function missingActions(grants: readonly PermissionGrant[], required: readonly string[]): string[] {
  return required.filter(
    (action) =>
      !grants.some(
        (grant) =>
          grant.actions.some((pattern) => matches(pattern, action)) &&
          !grant.notActions.some((pattern) => matches(pattern, action)),
      ),
  );
}

function matches(pattern: string, action: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i').test(action);
}
