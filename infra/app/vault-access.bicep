// Assigns the custom role to the app's identity on one Recovery Services vault (deployed into the
// vault's resource group; the vault must exist).

@description('Name of the Recovery Services vault.')
param vaultName string

@description('Principal (object) id of the app\'s managed identity.')
param principalId string

@description('Resource id of the custom role (recovery-role.bicep).')
param roleDefinitionId string

resource vault 'Microsoft.RecoveryServices/vaults@2023-04-01' existing = {
  name: vaultName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roleDefinitionId)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roleDefinitionId
  }
}
