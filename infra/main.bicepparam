// Example parameters for infra/main.bicep. Copy to main.<council>.bicepparam, fill in, and deploy:
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.<council>.bicepparam \
//     -p clientSecret="$CLIENT_SECRET"
// Never write the client secret into this file. Every parameter is described in infra/README.md.
using './main.bicep'

param baseName = 'dplan-prevent'
param location = 'uksouth'
param clientId = '00000000-0000-0000-0000-000000000000' // Application (client) ID from step 1 of docs/deployment.md
param sharePointSite = 'contoso.sharepoint.com:/sites/prevent-partnership'
param coordinatorIds = 'prevent.coordinator@contoso.gov.uk'
param appServicePlanSku = 'B1'
param nodeRuntime = 'NODE|20-lts'
param botSku = 'F0'
param logRetentionDays = 90
param enablePurgeProtection = true
param tags = {
  application: 'delivery-plan-for-teams'
  service: 'prevent-partnership'
}
