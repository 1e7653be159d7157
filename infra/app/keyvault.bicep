// Key Vault for the app's secrets: the approval signing key (always), and the optional Teams webhook
// URLs, ACS e-mail connection string and sign-in client secret. The app reads them through Key Vault
// references (app settings `@Microsoft.KeyVault(SecretUri=…)`), resolved by App Service as the app's
// identity (Key Vault Secrets User, rbac.bicep). Access is by Azure RBAC only (no access policies).

@description('Name of the vault (3-24 letters, digits and hyphens, globally unique).')
param name string

@description('Azure region of the vault (the app\'s region).')
param location string

@description('Tags for every resource.')
param tags object

@secure()
@description('Value of the approval-signing-key secret (main.bicep decides: kept, generated or rotated).')
param approvalSigningKey string

@secure()
@description('TEAMS_WEBHOOK_URLS JSON; empty: no secret is written.')
param teamsWebhookUrls string

@secure()
@description('ACS_EMAIL_CONNECTION_STRING; empty: no secret is written.')
param acsEmailConnectionString string

@secure()
@description('Client secret of the sign-in app registration; empty: no secret is written.')
param authClientSecret string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource signingKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'approval-signing-key'
  properties: {
    value: approvalSigningKey
    contentType: 'HS256 key for approval links (APPROVAL_SIGNING_KEY)'
  }
}

resource teams 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(teamsWebhookUrls)) {
  parent: vault
  name: 'teams-webhook-urls'
  properties: { value: teamsWebhookUrls, contentType: 'application/json (TEAMS_WEBHOOK_URLS)' }
}

resource acs 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(acsEmailConnectionString)) {
  parent: vault
  name: 'acs-email-connection-string'
  properties: { value: acsEmailConnectionString, contentType: 'ACS_EMAIL_CONNECTION_STRING' }
}

resource authSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(authClientSecret)) {
  parent: vault
  name: 'auth-client-secret'
  properties: { value: authClientSecret, contentType: 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET' }
}

output name string = vault.name
output id string = vault.id
// https://<name>.vault.azure.net/ : the base of the secrets' Key Vault references (no secret in it).
output uri string = vault.properties.vaultUri
