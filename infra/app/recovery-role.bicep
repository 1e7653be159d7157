// The least-privilege custom role: exactly the Site Recovery and Automation actions the app calls.
// The actions come from required-actions.json, which `npm run infra:permissions` writes from
// adapters/arm/required-permissions.ts (a unit test fails while it is stale). Role definitions live
// at subscription scope; the role is assignable only in the resource groups of the given vaults and
// Automation accounts, and assigned on each vault and account (vault-access / automation-access).
targetScope = 'subscription'

@description('azd environment name: makes the role\'s name and id unique per environment.')
param environmentName string

@description('Resource groups (ARM ids) the role may be assigned in: those of the vaults and Automation accounts.')
param assignableScopes array

var requiredActions = loadJsonContent('required-actions.json')

resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'durable-recovery-operator', environmentName)
  properties: {
    roleName: 'Durable Recovery Operator (${environmentName})'
    description: 'Durable Recovery: read protected items, recovery points and jobs; start failover actions; read runbooks; start, read and stop runbook jobs. Nothing else.'
    type: 'CustomRole'
    permissions: [
      {
        actions: concat(requiredActions.vault, requiredActions.automationAccount)
        notActions: []
      }
    ]
    assignableScopes: assignableScopes
  }
}

output roleDefinitionId string = role.id
