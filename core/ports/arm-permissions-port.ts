import type { PermissionGrant } from '../readiness/permission-grants';

/** The app identity's own effective permissions at an ARM scope, without trying any action. */
export interface ArmPermissionsPort {
  /** One grant per role the identity holds at the scope or above. */
  permissionsAt(scope: string): Promise<PermissionGrant[]>;
}
