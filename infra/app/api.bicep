// The Function App on the Flex Consumption plan: Node 20, the user-assigned identity for everything,
// identity-based AzureWebJobsStorage, secrets as Key Vault references, App Service Authentication
// (Microsoft Entra ID) for the approval pages and the console. Tagged `azd-service-name: api` so
// `azd deploy` finds it.

@description('Name of the Function App (its default host is <name>.azurewebsites.net).')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the app (the recovery region by default, main.bicep).')
param location string

@description('Tags for every resource.')
param tags object

@description('Resource id of the app\'s user-assigned managed identity.')
param identityId string

@description('Client id of that identity (AZURE_CLIENT_ID, AzureWebJobsStorage__clientId).')
param identityClientId string

@description('Blob endpoint of the storage account, https://<account>.blob.core.windows.net/.')
param blobEndpoint string

@description('Queue endpoint of the storage account.')
param queueEndpoint string

@description('Table endpoint of the storage account.')
param tableEndpoint string

@description('Blob container holding the deployment package.')
param deploymentContainerName string

@description('Blob container for plans, reports and audit logs (DR_CONTAINER).')
param appContainerName string

@description('Application Insights connection string (names the ingestion endpoint; local auth is off).')
param applicationInsightsConnectionString string

@description('Key Vault URI, https://<vault>.vault.azure.net/: the base of the Key Vault references.')
param keyVaultUri string

@description('Set the Teams webhook setting (the secret teams-webhook-urls exists).')
param hasTeamsWebhooks bool

@description('Set the ACS e-mail settings (the secret acs-email-connection-string exists).')
param hasAcsEmail bool

@description('Verified ACS sender address (EMAIL_SENDER_ADDRESS); empty with no ACS e-mail.')
param emailSenderAddress string

@description('PUBLIC_BASE_URL, e.g. https://dr.contoso.com; empty: the app uses https://$WEBSITE_HOSTNAME.')
param publicBaseUrl string

@description('Durable Functions task hub name (TASKHUB_NAME; host.json reads %TASKHUB_NAME%).')
param taskHubName string

@description('Durable Task Scheduler endpoint; empty: the Azure Storage backend.')
param durableTaskSchedulerEndpoint string

@description('Client id of the Entra ID app registration users sign in with.')
param authClientId string

@description('Tenant of that app registration.')
param authTenantId string

@description('Set the sign-in client secret setting (the secret auth-client-secret exists).')
param hasAuthClientSecret bool

@description('Node.js version of the Functions runtime.')
@allowed(['20', '22'])
param nodeVersion string

@description('Memory per instance in MB (Flex Consumption: 512, 2048 or 4096).')
@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('Upper bound on instances (Flex Consumption scales out to this).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

// A Key Vault reference to the latest version of a secret (App Service re-reads it within a day, or on restart).
var secrets = '${keyVaultUri}secrets'
var useScheduler = !empty(durableTaskSchedulerEndpoint)

// app-settings:start (test/unit/infra reads the names between these markers)
var baseSettings = {
  // Functions host: identity-based storage, telemetry as the identity.
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__queueServiceUri: queueEndpoint
  AzureWebJobsStorage__tableServiceUri: tableEndpoint
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  TASKHUB_NAME: taskHubName
  // The app (adapters/config/app-config.ts): ARM and blobs as the user-assigned identity.
  AZURE_CLIENT_ID: identityClientId
  DR_STORAGE_BLOB_URL: blobEndpoint
  DR_CONTAINER: appContainerName
  APPROVAL_SIGNING_KEY: '@Microsoft.KeyVault(SecretUri=${secrets}/approval-signing-key/)'
  APPROVAL_LOGIN_PATH: '/.auth/login/aad'
}
var publicUrlSettings = empty(publicBaseUrl) ? {} : { PUBLIC_BASE_URL: publicBaseUrl }
var teamsSettings = hasTeamsWebhooks ? { TEAMS_WEBHOOK_URLS: '@Microsoft.KeyVault(SecretUri=${secrets}/teams-webhook-urls/)' } : {}
var acsSettings = {
  ACS_EMAIL_CONNECTION_STRING: '@Microsoft.KeyVault(SecretUri=${secrets}/acs-email-connection-string/)'
  EMAIL_SENDER_ADDRESS: emailSenderAddress
}
var emailSettings = hasAcsEmail ? acsSettings : {}
var authSettings = hasAuthClientSecret ? { MICROSOFT_PROVIDER_AUTHENTICATION_SECRET: '@Microsoft.KeyVault(SecretUri=${secrets}/auth-client-secret/)' } : {}
// host.json settings overridden by app settings: the Durable Task Scheduler backend.
var azureManagedSettings = {
  DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${durableTaskSchedulerEndpoint};Authentication=ManagedIdentity;ClientID=${identityClientId}'
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__type: 'azureManaged'
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName: 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING'
}
var schedulerSettings = useScheduler ? azureManagedSettings : {}
var appSettings = union(baseSettings, publicUrlSettings, teamsSettings, emailSettings, authSettings, schedulerSettings)
// app-settings:end

var authRegistrationBase = {
  clientId: authClientId
  openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
}
var authRegistration = hasAuthClientSecret ? union(authRegistrationBase, { clientSecretSettingName: 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET' }) : authRegistrationBase

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve as the user-assigned identity (it holds Key Vault Secrets User).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: { name: 'node', version: nodeVersion }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: appSettings
  }

  // Sign-in for the approval pages and the console (/.auth/login/aad). Anonymous requests still reach
  // the app: API routes need a function key, the approval page asks people to sign in itself.
  resource auth 'config' = {
    name: 'authsettingsV2'
    properties: {
      platform: { enabled: true }
      globalValidation: {
        requireAuthentication: false
        unauthenticatedClientAction: 'AllowAnonymous'
      }
      httpSettings: { requireHttps: true }
      identityProviders: {
        azureActiveDirectory: {
          enabled: true
          registration: authRegistration
          validation: {
            allowedAudiences: ['api://${authClientId}', authClientId]
          }
        }
      }
      login: {
        tokenStore: { enabled: true }
      }
    }
  }

  // No publishing with user names and passwords: azd deploys with Entra ID.
  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: { allow: false }
  }

  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: { allow: false }
  }
}

output name string = app.name
output uri string = 'https://${app.properties.defaultHostName}'
