// The app's user-assigned managed identity: every call the app makes (ARM, storage, Key Vault, Durable
// Task Scheduler, Application Insights) authenticates as it. No keys or connection strings anywhere.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region of the identity (the app\'s region).')
param location string

@description('Tags for every resource.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
