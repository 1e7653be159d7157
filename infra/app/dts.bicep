// The Durable Task Scheduler backend (durableBackend = 'durableTaskScheduler'): a managed scheduler and
// its task hub. The app reaches it as its managed identity (Durable Task Data Contributor, rbac.bicep).

@description('Name of the scheduler (3-64 letters, digits and hyphens).')
param name string

@description('Azure region of the scheduler (the app\'s region).')
param location string

@description('Tags for every resource.')
param tags object

@description('Consumption (pay per action) or Dedicated (reserved capacity units).')
@allowed(['Consumption', 'Dedicated'])
param skuName string

@description('Name of the task hub (TASKHUB_NAME).')
param taskHubName string

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    // An empty list refuses every caller; access is controlled by Entra ID roles instead.
    ipAllowlist: ['0.0.0.0/0']
    sku: skuName == 'Dedicated' ? { name: skuName, capacity: 1 } : { name: skuName }
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = {
  parent: scheduler
  name: taskHubName
}

output name string = scheduler.name
output endpoint string = scheduler.properties.endpoint
output taskHubName string = taskHub.name
