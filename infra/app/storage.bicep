// The app's storage account: the Functions host (AzureWebJobsStorage: Durable state with the Storage
// backend, timers, leases), the deployment package, and the app's own blobs (plans, reports, audit logs,
// the run registry). Shared keys are disabled: only Entra ID identities with data roles get in.

@description('Name of the storage account (3-24 lowercase letters and digits, globally unique).')
param name string

@description('Azure region of the account (the app\'s region).')
param location string

@description('Tags for every resource.')
param tags object

@description('Replication of the account: Standard_LRS, or Standard_ZRS where the region has zones.')
param skuName string

@description('Blob container the Flex Consumption plan deploys the app package from.')
param deploymentContainerName string

@description('Blob container for plans, reports and audit logs (DR_CONTAINER).')
param appContainerName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }

  resource blobServices 'blobServices' = {
    name: 'default'
    properties: {
      deleteRetentionPolicy: { enabled: true, days: 7 }
    }

    resource deployment 'containers' = {
      name: deploymentContainerName
    }

    resource app 'containers' = {
      name: appContainerName
    }
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
