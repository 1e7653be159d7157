import type { ArmPermissionsPort } from '../../core/ports/arm-permissions-port';
import type { PermissionGrant } from '../../core/readiness/permission-grants';
import { ArmListReader, type ArmListReaderOptions } from './arm-list-reader';

export type ArmPermissionsReaderOptions = ArmListReaderOptions;

const apiVersion = '2022-04-01';

/**
 * ARM's Permissions - List For Resource (`GET {scope}/providers/Microsoft.Authorization/permissions`):
 * what the caller may do at a scope. Any principal may list its own permissions, so readiness can
 * tell a missing failover action before a disaster instead of by trying one.
 */
export class ArmPermissionsReader implements ArmPermissionsPort {
  private readonly reader: ArmListReader;

  constructor(options: ArmPermissionsReaderOptions) {
    this.reader = new ArmListReader(options);
  }

  async permissionsAt(scope: string): Promise<PermissionGrant[]> {
    // Pages are few (one entry per role assignment).
    const entries = await this.reader.list<{ actions?: string[]; notActions?: string[] }>(
      `${scope}/providers/Microsoft.Authorization/permissions?api-version=${apiVersion}`,
      20,
    );
    return entries.map((entry) => ({ actions: entry.actions ?? [], notActions: entry.notActions ?? [] }));
  }
}
