// Assigns the custom role to the app's identity on one Automation account (deployed into the
// account's resource group; the account must exist).

@description('Name of the Automation account.')
param accountName string

@description('Principal (object) id of the app\'s managed identity.')
param principalId string

@description('Resource id of the custom role (recovery-role.bicep).')
param roleDefinitionId string

resource account 'Microsoft.Automation/automationAccounts@2023-11-01' existing = {
  name: accountName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, roleDefinitionId)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roleDefinitionId
  }
}
