import { z } from 'zod';

/** A role: ARM actions with `*` wildcards, minus notActions (as in an Azure role definition). */
export const roleDefinitionSchema = z
  .object({
    name: z.string().min(1),
    actions: z.array(z.string().min(1)).min(1),
    notActions: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type RoleDefinition = z.infer<typeof roleDefinitionSchema>;

/** A role given to a principal (object id, or the static token the caller sends) at a scope. */
export const roleAssignmentSchema = z
  .object({
    principal: z.string().min(1),
    /** A role of `roles`, or a built-in: Owner, Contributor, Reader. */
    role: z.string().min(1),
    /** An ARM id prefix: subscription, resource group or resource (vault, Automation account, …). */
    scope: z.string().regex(/^\/subscriptions\/[^/]+(\/.*)?$/i, {
      error: 'must be an ARM scope (/subscriptions/<id>[/resourceGroups/<rg>[/providers/…]])',
    }),
  })
  .strict();
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;

/**
 * The scenario's `authorization` section. Absent: every authenticated caller may do everything (the
 * default, so scenarios without it behave as before). Present: a call is allowed only when one of the
 * caller's role assignments covers its action at a scope containing the resource.
 */
export const authorizationSchema = z
  .object({
    roles: z.array(roleDefinitionSchema).default([]),
    assignments: z.array(roleAssignmentSchema).default([]),
  })
  .strict()
  .superRefine((value, ctx) => {
    const known = new Set([...builtInRoleNames, ...value.roles.map((role) => role.name.toLowerCase())]);
    value.assignments.forEach((assignment, index) => {
      if (!known.has(assignment.role.toLowerCase()))
        ctx.addIssue({
          code: 'custom',
          path: ['assignments', index, 'role'],
          message: `unknown role '${assignment.role}': define it under authorization.roles or use Owner, Contributor or Reader`,
        });
    });
  });
export type Authorization = z.infer<typeof authorizationSchema>;

export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  { name: 'Owner', actions: ['*'], notActions: [] },
  { name: 'Contributor', actions: ['*'], notActions: [] },
  { name: 'Reader', actions: ['*/read'], notActions: [] },
];
const builtInRoleNames = BUILT_IN_ROLES.map((role) => role.name.toLowerCase());
