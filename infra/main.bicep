// Durable Recovery on Azure: `azd up` creates a resource group in the RECOVERY region holding the
// Function App (Flex Consumption), its user-assigned identity, storage, Key Vault, monitoring and
// optionally a Durable Task Scheduler, and gives the identity the least-privilege custom role on the
// Recovery Services vaults and Automation accounts named below. docs/deploy.md explains every parameter.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name (AZURE_ENV_NAME): part of every resource name and of the unique token.')
param environmentName string

@minLength(1)
@description('The region the app fails over TO (AZURE_LOCATION): by default everything is deployed here, so the orchestrator survives the loss of the primary region it protects.')
@metadata({ azd: { type: 'location' } })
param recoveryLocation string

@minLength(1)
@description('The region the protected workloads normally run in (the one a disaster takes away). Only used when placement is primary, and recorded as a tag.')
param primaryLocation string

@description('Where the app and its resources go: recovery (default, recommended) or primary (only for drills-only setups; a primary-region outage then takes the orchestrator with it).')
@allowed(['recovery', 'primary'])
param placement string = 'recovery'

@description('Name of the resource group to create; empty: rg-<environmentName>.')
param resourceGroupName string = ''

@description('Resource ids of the Recovery Services vaults plans fail over in (/subscriptions/…/resourceGroups/…/providers/Microsoft.RecoveryServices/vaults/<name>). The custom role is assigned on each, never on the subscription.')
param siteRecoveryVaultIds array

@description('Resource ids of the Automation accounts whose runbooks plans run (/subscriptions/…/providers/Microsoft.Automation/automationAccounts/<name>). May be empty.')
param automationAccountIds array = []

@minLength(36)
@maxLength(36)
@description('Client (application) id of the Microsoft Entra ID app registration people sign in with (approval pages, console). docs/deploy.md shows how to create it.')
param authClientId string

@description('Tenant of that app registration; default: the deployment\'s tenant.')
param authTenantId string = tenant().tenantId

@secure()
@description('Client secret of the sign-in app registration (stored in Key Vault); empty: sign-in uses the ID-token flow, which the registration must allow.')
param authClientSecret string = ''

@description('Durable Functions backend: storage (Azure Storage, the default: cheapest at rest) or durableTaskScheduler (managed scheduler: higher throughput, for large estates).')
@allowed(['storage', 'durableTaskScheduler'])
param durableBackend string = 'storage'

@description('Durable Task Scheduler SKU when durableBackend is durableTaskScheduler: Consumption or Dedicated.')
@allowed(['Consumption', 'Dedicated'])
param durableTaskSchedulerSku string = 'Consumption'

@secure()
@description('The approval signing key azd read back from Key Vault (main.parameters.json: secretOrRandomPassword). A value shorter than 32 characters (the first deployment) is replaced by a new random key; a longer one is kept.')
param approvalSigningKey string = ''

@description('True: replace the approval signing key with a new random one in this deployment (links already sent stop working; docs/deploy.md).')
param rotateApprovalSigningKey bool = false

@secure()
@description('Leave unset: randomness for a new signing key (a fresh GUID each deployment; used only when a key is generated).')
param signingKeyEntropy1 string = newGuid()

@secure()
@description('Leave unset: more randomness for a new signing key (a fresh GUID each deployment).')
param signingKeyEntropy2 string = newGuid()

@secure()
@description('Teams Workflows webhook URLs as JSON, {"<approver group>": "https://…", "*": "https://…"} (TEAMS_WEBHOOK_URLS; stored in Key Vault). Empty: no Teams messages.')
param teamsWebhookUrls string = ''

@secure()
@description('Azure Communication Services e-mail connection string, endpoint=https://…;accesskey=… (stored in Key Vault). Empty: no e-mails.')
param acsEmailConnectionString string = ''

@description('Verified ACS sender, e.g. DoNotReply@<domain> (EMAIL_SENDER_ADDRESS); required with acsEmailConnectionString.')
param emailSenderAddress string = ''

@description('PUBLIC_BASE_URL: the address people use, e.g. a custom domain https://dr.contoso.com. Empty: https://<app>.azurewebsites.net.')
param publicBaseUrl string = ''

@description('Object id of the person or pipeline deploying (AZURE_PRINCIPAL_ID, set by azd): may read and rotate the signing key. Empty: no role.')
param principalId string = ''

@description('Type of principalId: User for a person, ServicePrincipal for a pipeline.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

@description('Replication of the storage account: Standard_LRS, or Standard_ZRS where the region has availability zones.')
@allowed(['Standard_LRS', 'Standard_ZRS'])
param storageSku string = 'Standard_LRS'

@description('Node.js version of the Functions runtime.')
@allowed(['20', '22'])
param nodeVersion string = '20'

@description('Memory per Function App instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Most instances the Function App scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

var abbrs = loadJsonContent('abbreviations.json')
var location = placement == 'recovery' ? recoveryLocation : primaryLocation
// Unique per subscription, environment and region: two environments never collide on a global name.
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  'dr-primary-region': primaryLocation
  'dr-recovery-region': recoveryLocation
}
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 13)}'
var appContainerName = 'durable-recovery'
var taskHubName = 'DurableRecovery'
var useScheduler = durableBackend == 'durableTaskScheduler'
// First deployment (azd's generated 15-character password) or an explicit rotation: a new 64-hex-digit
// key from two GUIDs; otherwise the key read back from Key Vault is written again unchanged.
var newSigningKey = '${replace(signingKeyEntropy1, '-', '')}${replace(signingKeyEntropy2, '-', '')}'
var signingKey = rotateApprovalSigningKey || length(approvalSigningKey) < 32 ? newSigningKey : approvalSigningKey
// Resource groups holding the vaults and accounts: where the custom role may be assigned.
var recoveryResourceIds = concat(siteRecoveryVaultIds, automationAccountIds)
var assignableScopes = union(map(recoveryResourceIds, id => '/subscriptions/${split(id, '/')[2]}/resourceGroups/${split(id, '/')[4]}'), [])

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    skuName: storageSku
    deploymentContainerName: deploymentContainerName
    appContainerName: appContainerName
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    approvalSigningKey: signingKey
    teamsWebhookUrls: teamsWebhookUrls
    acsEmailConnectionString: acsEmailConnectionString
    authClientSecret: authClientSecret
  }
}

module scheduler 'app/dts.bicep' = if (useScheduler) {
  name: 'durable-task-scheduler'
  scope: rg
  params: {
    name: '${abbrs.durableTaskSchedulers}${resourceToken}'
    location: location
    tags: tags
    skuName: durableTaskSchedulerSku
    taskHubName: taskHubName
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    durableTaskSchedulerName: useScheduler ? '${abbrs.durableTaskSchedulers}${resourceToken}' : ''
  }
  dependsOn: [scheduler]
}

module recoveryRole 'app/recovery-role.bicep' = {
  name: 'recovery-role'
  params: {
    environmentName: environmentName
    assignableScopes: assignableScopes
  }
}

module vaultAccess 'app/vault-access.bicep' = [
  for (id, i) in siteRecoveryVaultIds: {
    name: 'vault-access-${i}'
    scope: resourceGroup(split(id, '/')[2], split(id, '/')[4])
    params: {
      vaultName: last(split(id, '/'))
      principalId: identity.outputs.principalId
      roleDefinitionId: recoveryRole.outputs.roleDefinitionId
    }
  }
]

module automationAccess 'app/automation-access.bicep' = [
  for (id, i) in automationAccountIds: {
    name: 'automation-access-${i}'
    scope: resourceGroup(split(id, '/')[2], split(id, '/')[4])
    params: {
      accountName: last(split(id, '/'))
      principalId: identity.outputs.principalId
      roleDefinitionId: recoveryRole.outputs.roleDefinitionId
    }
  }
]

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    appContainerName: appContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    keyVaultUri: keyVault.outputs.uri
    hasTeamsWebhooks: !empty(teamsWebhookUrls)
    hasAcsEmail: !empty(acsEmailConnectionString)
    emailSenderAddress: emailSenderAddress
    publicBaseUrl: publicBaseUrl
    taskHubName: taskHubName
    durableTaskSchedulerEndpoint: useScheduler ? scheduler.outputs.endpoint : ''
    authClientId: authClientId
    authTenantId: authTenantId
    hasAuthClientSecret: !empty(authClientSecret)
    nodeVersion: nodeVersion
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
  // The app starts only once it can read its storage and secrets.
  dependsOn: [rbac]
}

// Outputs become azd environment values. Names and addresses only: no key, secret or connection string.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output RECOVERY_ROLE_DEFINITION_ID string = recoveryRole.outputs.roleDefinitionId
