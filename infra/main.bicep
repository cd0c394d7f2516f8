// Delivery Plan for Teams: Azure resources for one council (one plan site, one Teams app).
//
//   Log Analytics workspace + Application Insights   telemetry and App Service logs
//   Key Vault (RBAC)                                  the app registration's client secret
//   Storage account (tables, queue, blob lease)       the bot's state shared by every instance
//   App Service plan (Linux, 2+ instances) + Web App  the Node server: tab, /api/*, /api/messages
//   Azure Bot (single-tenant) + Microsoft Teams channel
//
// Deploy into an existing resource group (see infra/README.md for every parameter):
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.bicepparam
//
// The Entra app registration itself is not created here (Bicep's Microsoft Graph extension needs
// extra permissions most councils do not give a deployment); docs/deployment.md step 1 registers it.
//
// Resource references (API versions checked against these pages):
//   https://learn.microsoft.com/azure/templates/microsoft.web/sites
//   https://learn.microsoft.com/azure/templates/microsoft.web/sites/config
//   https://learn.microsoft.com/azure/templates/microsoft.keyvault/vaults
//   https://learn.microsoft.com/azure/templates/microsoft.insights/components
//   https://learn.microsoft.com/azure/templates/microsoft.botservice/botservices
//   https://learn.microsoft.com/azure/templates/microsoft.botservice/botservices/channels
//   https://learn.microsoft.com/azure/app-service/app-service-key-vault-references
//   https://learn.microsoft.com/azure/templates/microsoft.storage/storageaccounts
//   https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage
//   https://learn.microsoft.com/azure/app-service/deploy-zip (SCM_DO_BUILD_DURING_DEPLOYMENT)

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

@description('Short lower-case name used to derive resource names, e.g. "dplan-prevent". Letters, digits and hyphens; starts with a letter.')
@minLength(3)
@maxLength(20)
param baseName string

@description('Azure region for the resources (the bot itself is global). Defaults to the resource group\'s region, e.g. uksouth.')
param location string = resourceGroup().location

@description('Entra tenant (directory) id of the council. Defaults to the tenant of the subscription.')
param tenantId string = subscription().tenantId

@description('Application (client) ID of the Entra app registration used by the bot, the tab\'s SSO and Microsoft Graph.')
@minLength(36)
@maxLength(36)
param clientId string

@description('Client secret of the app registration. Stored in Key Vault as "client-secret"; leave empty to add the secret to the vault yourself after deployment.')
@secure()
param clientSecret string = ''

@description('SharePoint site holding the plan lists, as hostname:/sites/path, e.g. contoso.sharepoint.com:/sites/prevent-partnership.')
param sharePointSite string

@description('Public https base URL if you put a custom domain in front of the web app, e.g. https://plan.example.gov.uk. Empty: the web app\'s own https://<name>.azurewebsites.net.')
param customPublicUrl string = ''

@description('Entra object ids or UPNs of the plan co-ordinators, comma-separated (COORDINATOR_IDS). May be left empty and set later.')
param coordinatorIds string = ''

@description('Name of the web app (globally unique, becomes <name>.azurewebsites.net).')
@maxLength(60)
param webAppName string = '${baseName}-${uniqueString(resourceGroup().id)}'

@description('App Service plan size. B1 is enough for one council; Basic or higher is needed for Always On (the scheduler runs in the app).')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
])
param appServicePlanSku string = 'B1'

@description('Node runtime of the web app: Node 22 LTS (Node 20 reached end of life on 30 April 2026).')
@allowed([
  'NODE|22-lts'
  'NODE|24-lts'
])
param nodeRuntime string = 'NODE|22-lts'

@description('Command that starts the server. The deployment package is built once (npm run package:server) and App Service runs it as it is.')
param startupCommand string = 'node dist/main.js'

@description('How many instances of the web app run. Keep 1 for now: plan settings and the scheduler lease are shared on the storage account, but the send ledger and conversation references are still a SQLite file per instance (the shared ledger and the send queue are not merged yet; README "Known limits").')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('Teams app id of the app as uploaded to the org catalog (the catalog id, not the manifest id), for "Open the plan" deep links. Set it after step 7 of docs/deployment.md; empty until then.')
param teamsAppId string = ''

@description('Bot Framework service URL the bot creates 1:1 chats with before it has heard from anyone in the tenant (afterwards it uses the one Teams names on each activity). The global Teams URL by default; see docs/deployment.md.')
param botServiceUrl string = 'https://smba.trafficmanager.net/teams/'

@description('Azure Bot pricing tier. F0 is free; Microsoft Teams is a standard channel, so F0 is normally enough.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Display name of the Azure Bot resource (Teams shows the app\'s manifest name to users).')
param botDisplayName string = 'Delivery Plan'

@description('Days Log Analytics keeps logs and telemetry (30 to 730).')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Key Vault purge protection. Recommended on; it cannot be turned off again, and a deleted vault\'s name stays taken for the soft-delete period.')
param enablePurgeProtection bool = true

@description('Optional object id of a user or group given "Key Vault Secrets Officer" on the vault, to rotate the client secret. Empty: none.')
param secretsOfficerPrincipalId string = ''

@description('Tags applied to every resource.')
param tags object = {
  application: 'delivery-plan-for-teams'
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

var suffix = uniqueString(resourceGroup().id)
var planName = '${baseName}-plan'
var workspaceName = '${baseName}-logs'
var appInsightsName = '${baseName}-insights'
// Key Vault names: 3-24 characters, letters, digits and hyphens, starting with a letter.
var keyVaultName = take('${replace(baseName, '-', '')}kv${suffix}', 24)
var botName = '${baseName}-bot-${suffix}'
var clientSecretName = 'client-secret'
// Built-in role "Key Vault Secrets User": read secret contents.
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security#key-vault-secrets-user
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
// Built-in role "Key Vault Secrets Officer": manage secrets.
var keyVaultSecretsOfficerRoleId = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
// Storage account names: 3-24 lower-case letters and digits, globally unique.
var storageAccountName = take('${replace(toLower(baseName), '-', '')}st${suffix}', 24)
// Data-plane roles for the app's managed identity (no account keys): the state tables, the send
// queue and the leader-lease blob. https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage
var storageRoles = {
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
}

// ---------------------------------------------------------------------------------------------
// Monitoring
// ---------------------------------------------------------------------------------------------

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

// ---------------------------------------------------------------------------------------------
// Key Vault: the client secret, read by the web app through a Key Vault reference
// ---------------------------------------------------------------------------------------------

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // ARM rejects enablePurgeProtection: false; omit the property to leave it off.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource clientSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(clientSecret)) {
  parent: keyVault
  name: clientSecretName
  properties: {
    value: clientSecret
    contentType: 'Entra app registration client secret (${clientId})'
  }
}

resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(secretsOfficerPrincipalId)) {
  name: guid(keyVault.id, secretsOfficerPrincipalId, keyVaultSecretsOfficerRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficerRoleId)
    principalId: secretsOfficerPrincipalId
  }
}

// ---------------------------------------------------------------------------------------------
// Storage: the bot's state when several instances run (STATE_STORE=azure)
// ---------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Entra (managed identity) only: no account keys to leak or rotate.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

// ---------------------------------------------------------------------------------------------
// App Service: the Linux web app running the Node server, on two or more instances
// ---------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
    // Several instances share the state in the storage account; one of them (the holder of a blob
    // lease) runs the schedule, and every instance sends from the queue.
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      linuxFxVersion: nodeRuntime
      appCommandLine: startupCommand
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      webSocketsEnabled: false
    }
  }
}

var publicUrl = empty(customPublicUrl) ? 'https://${site.properties.defaultHostName}' : customPublicUrl
var appDomain = empty(customPublicUrl) ? site.properties.defaultHostName : split(replace(customPublicUrl, 'https://', ''), '/')[0]

resource storageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in items(storageRoles): {
    name: guid(storage.id, site.id, role.value)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
      principalId: site.identity.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource keyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, site.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// App settings are set after the role assignment, so the Key Vault reference resolves on first start.
// Names match src/config.ts; the Teams SDK reads CLIENT_ID, CLIENT_SECRET and TENANT_ID too.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // The package is built before deployment (npm run package:server), so production settings are
    // safe here: App Service builds nothing and installs nothing.
    NODE_ENV: 'production'
    STORE: 'graph'
    TENANT_ID: tenantId
    CLIENT_ID: clientId
    CLIENT_SECRET: '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName=${clientSecretName})'
    SHAREPOINT_SITE: sharePointSite
    PUBLIC_URL: publicUrl
    // Tab SSO tokens are v2 (audience = CLIENT_ID); accept the Application ID URI too, for v1 tokens.
    API_AUDIENCES: 'api://${appDomain}/${clientId}'
    COORDINATOR_IDS: coordinatorIds
    TEAMS_APP_ID: teamsAppId
    BOT_SERVICE_URL: botServiceUrl
    LOG_LEVEL: 'info'
    // The bot's state in the storage account, reached with the app's managed identity: no SQLite
    // file on the app's network share, where SQLite's locking is unreliable.
    STATE_STORE: 'azure'
    AZURE_STORAGE_ACCOUNT: storage.name
    // Deploy the built package as it is.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    // App Insights auto-instrumentation for Node on Linux App Service (no code change).
    ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
  }
  dependsOn: [
    keyVaultSecretsUser
    clientSecretValue
    storageAccess
  ]
}

resource siteDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Bot: single-tenant registration of the same app, with the Teams channel
// https://learn.microsoft.com/azure/bot-service/bot-service-quickstart-registration
// ---------------------------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: '${publicUrl}/api/messages'
    msaAppId: clientId
    msaAppType: 'SingleTenant'
    msaAppTenantId: tenantId
    developerAppInsightKey: appInsights.properties.InstrumentationKey
    disableLocalAuth: false
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs: what the next steps of docs/deployment.md need
// ---------------------------------------------------------------------------------------------

@description('Web app name, for az webapp deploy / log tail.')
output webAppName string = site.name

@description('Public base URL of the app (PUBLIC_URL).')
output publicUrl string = publicUrl

@description('Host name for the Teams package (APP_DOMAIN) and the Application ID URI api://<appDomain>/<clientId>.')
output appDomain string = appDomain

@description('Bot messaging endpoint registered on the Azure Bot.')
output botEndpoint string = '${publicUrl}/api/messages'

@description('Azure Bot resource name.')
output botName string = bot.name

@description('Key Vault holding the client secret.')
output keyVaultName string = keyVault.name

@description('Object id of the web app\'s managed identity.')
output webAppPrincipalId string = site.identity.principalId

@description('Storage account holding the bot\'s shared state.')
output storageAccountName string = storage.name

@description('Application Insights resource name.')
output appInsightsName string = appInsights.name
