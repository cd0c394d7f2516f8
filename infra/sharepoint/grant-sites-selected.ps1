<#
.SYNOPSIS
  Gives the Delivery Plan app registration access to ONE SharePoint site (the plan's site) and no other,
  with Microsoft Graph's Sites.Selected application permission.

.DESCRIPTION
  Twin of grant-sites-selected.sh; same steps and options:
    1. adds the Sites.Selected application permission to the app registration and grants admin consent
       (an app role assignment on the app's service principal);
    2. grants the app a role (default: write) on the plan's site: POST /sites/{site-id}/permissions,
       or PATCH the existing grant when the app already has one.

  Signs in with Microsoft Graph PowerShell (Connect-MgGraph), which can request Sites.FullControl.All
  interactively. Run it as a Global Administrator, or as a Privileged Role Administrator who is also a
  SharePoint Administrator. Only the Microsoft.Graph.Authentication module is needed:
      Install-Module Microsoft.Graph.Authentication -Scope CurrentUser

  Roles: read | write | manage | fullcontrol. The running app needs 'write'. 'dplan provision' creates
  lists and columns, which 'write' cannot do: grant 'manage' (or 'fullcontrol') for provisioning, then run
  this again with -Role write to step back down.

  Microsoft documentation:
    https://learn.microsoft.com/graph/permissions-selected-overview
    https://learn.microsoft.com/graph/api/site-post-permissions
    https://learn.microsoft.com/graph/api/site-update-permission
    https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignments

.EXAMPLE
  ./grant-sites-selected.ps1 -AppId 6b1c2f3e-4a5d-4e6f-8a7b-9c0d1e2f3a4b -Site contoso.sharepoint.com:/sites/prevent

.EXAMPLE
  ./grant-sites-selected.ps1 -AppId <id> -Site contoso.sharepoint.com:/sites/prevent -Role manage   # before dplan provision
  ./grant-sites-selected.ps1 -AppId <id> -Site contoso.sharepoint.com:/sites/prevent -Role write    # afterwards
#>
[CmdletBinding(SupportsShouldProcess)]
param(
  [Parameter(Mandatory)]
  [ValidatePattern('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')]
  [string] $AppId,

  [Parameter(Mandatory)]
  [ValidatePattern('^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+:/.+')]
  [string] $Site,

  [ValidateSet('read', 'write', 'manage', 'fullcontrol')]
  [string] $Role = 'write',

  [string] $DisplayName,

  [string] $TenantId,

  [switch] $SkipConsent,

  [switch] $Revoke
)

$ErrorActionPreference = 'Stop'

$graphAppId = '00000003-0000-0000-c000-000000000000'       # Microsoft Graph
$sitesSelectedRole = '883ea226-0bf2-4a8f-9f9d-92c9162a727d' # Sites.Selected (application)

Import-Module Microsoft.Graph.Authentication

$scopes = @('Sites.FullControl.All')
if (-not $SkipConsent -and -not $Revoke) {
  $scopes += @('Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All')
}
$connect = @{ Scopes = $scopes; NoWelcome = $true }
if ($TenantId) { $connect.TenantId = $TenantId }
Connect-MgGraph @connect

function Invoke-Graph([string] $Method, [string] $Uri, $Body) {
  $request = @{ Method = $Method; Uri = "https://graph.microsoft.com/v1.0/$Uri"; OutputType = 'PSObject' }
  if ($null -ne $Body) {
    $request.Body = ($Body | ConvertTo-Json -Depth 10 -Compress)
    $request.ContentType = 'application/json'
  }
  Invoke-MgGraphRequest @request
}

$app = (Invoke-Graph GET "applications?`$filter=appId eq '$AppId'").value | Select-Object -First 1
if (-not $app) { throw "No app registration with client id $AppId in this tenant." }
if (-not $DisplayName) { $DisplayName = $app.displayName }
Write-Host "App:  $DisplayName ($AppId)"
Write-Host "Site: $Site"

# --- Step 1: Sites.Selected application permission + admin consent ---------------------------
if (-not $SkipConsent -and -not $Revoke) {
  $graphAccess = @($app.requiredResourceAccess | Where-Object { $_.resourceAppId -eq $graphAppId })
  $already = $graphAccess | ForEach-Object { $_.resourceAccess } | Where-Object { $_.id -eq $sitesSelectedRole }
  if (-not $already) {
    if ($PSCmdlet.ShouldProcess($DisplayName, 'Add the Sites.Selected application permission')) {
      $required = @($app.requiredResourceAccess | Where-Object { $_.resourceAppId -ne $graphAppId })
      $graphEntry = @{ resourceAppId = $graphAppId; resourceAccess = @() }
      if ($graphAccess) { $graphEntry.resourceAccess = @($graphAccess[0].resourceAccess) }
      $graphEntry.resourceAccess += @{ id = $sitesSelectedRole; type = 'Role' }
      $required += $graphEntry
      Invoke-Graph PATCH "applications/$($app.id)" @{ requiredResourceAccess = $required } | Out-Null
      Write-Host 'Added the Sites.Selected application permission to the app registration.'
    }
  } else {
    Write-Host 'Sites.Selected is already requested by the app registration.'
  }

  # Admin consent for an application permission = an app role assignment on the app's service principal.
  $sp = (Invoke-Graph GET "servicePrincipals?`$filter=appId eq '$AppId'").value | Select-Object -First 1
  if (-not $sp -and $PSCmdlet.ShouldProcess($DisplayName, 'Create the service principal (enterprise application)')) {
    $sp = Invoke-Graph POST 'servicePrincipals' @{ appId = $AppId }
  }
  $graphSp = (Invoke-Graph GET "servicePrincipals?`$filter=appId eq '$graphAppId'").value | Select-Object -First 1
  if ($sp) {
    $assigned = (Invoke-Graph GET "servicePrincipals/$($sp.id)/appRoleAssignments").value |
      Where-Object { $_.appRoleId -eq $sitesSelectedRole -and $_.resourceId -eq $graphSp.id }
    if ($assigned) {
      Write-Host 'Admin consent for Sites.Selected is already granted.'
    } elseif ($PSCmdlet.ShouldProcess($DisplayName, 'Grant admin consent for Sites.Selected')) {
      Invoke-Graph POST "servicePrincipals/$($sp.id)/appRoleAssignments" @{
        principalId = $sp.id
        resourceId  = $graphSp.id
        appRoleId   = $sitesSelectedRole
      } | Out-Null
      Write-Host 'Granted admin consent for Sites.Selected.'
    }
  }
}

# --- Step 2: the grant on the plan's site ------------------------------------------------------
$siteHost, $sitePath = $Site -split ':', 2
$siteObject = Invoke-Graph GET "sites/${siteHost}:$sitePath"
Write-Host "Site id: $($siteObject.id)"

function Test-GrantedToApp($permission) {
  foreach ($property in 'grantedToIdentitiesV2', 'grantedToIdentities') {
    if ($permission.PSObject.Properties.Name -contains $property) {
      foreach ($identity in @($permission.$property)) {
        if ($identity.application -and $identity.application.id -eq $AppId) { return $true }
      }
    }
  }
  return $false
}

$existing = (Invoke-Graph GET "sites/$($siteObject.id)/permissions").value |
  Where-Object { Test-GrantedToApp $_ } | Select-Object -First 1

if ($Revoke) {
  if (-not $existing) { Write-Host 'The app has no grant on this site: nothing to revoke.'; return }
  if ($PSCmdlet.ShouldProcess($Site, "Revoke grant $($existing.id)")) {
    Invoke-Graph DELETE "sites/$($siteObject.id)/permissions/$($existing.id)" | Out-Null
    Write-Host 'Revoked.'
  }
  return
}

if (-not $existing) {
  # Creating accepts read or write; manage/fullcontrol are set by updating the new grant.
  $createRole = if ($Role -in @('manage', 'fullcontrol')) { 'write' } else { $Role }
  if ($PSCmdlet.ShouldProcess($Site, "Grant '$createRole' to $DisplayName")) {
    $existing = Invoke-Graph POST "sites/$($siteObject.id)/permissions" @{
      roles               = @($createRole)
      grantedToIdentities = @(@{ application = @{ id = $AppId; displayName = $DisplayName } })
    }
    if ($createRole -ne $Role) {
      Invoke-Graph PATCH "sites/$($siteObject.id)/permissions/$($existing.id)" @{ roles = @($Role) } | Out-Null
    }
  }
} elseif ($PSCmdlet.ShouldProcess($Site, "Set grant $($existing.id) to '$Role'")) {
  Invoke-Graph PATCH "sites/$($siteObject.id)/permissions/$($existing.id)" @{ roles = @($Role) } | Out-Null
}

if ($existing) {
  $final = Invoke-Graph GET "sites/$($siteObject.id)/permissions/$($existing.id)"
  Write-Host "Done: $DisplayName has [$($final.roles -join ',')] on $Site (grant $($final.id))."
}
