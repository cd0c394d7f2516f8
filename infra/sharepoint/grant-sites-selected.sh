#!/usr/bin/env bash
# Gives the Delivery Plan app registration access to ONE SharePoint site (the plan's site) and no
# other, with Microsoft Graph's Sites.Selected application permission:
#
#   1. adds the Sites.Selected application permission to the app registration and grants admin consent;
#   2. grants the app a role (default: write) on the plan's site: POST /sites/{site-id}/permissions,
#      or PATCH the existing grant when the app already has one.
#
# PowerShell twin: grant-sites-selected.ps1 (Microsoft Graph PowerShell). Same steps, same options.
#
# Who can run it:
#   step 1  a Privileged Role Administrator / Global Administrator (admin consent for an application permission);
#   step 2  needs a Microsoft Graph token carrying Sites.FullControl.All (delegated, as a SharePoint
#           Administrator, or application). The Azure CLI's own token normally does NOT carry it, so
#           step 2 takes its token, in this order, from:
#             GRAPH_TOKEN                      a token you obtained elsewhere (e.g. Connect-MgGraph
#                                              -Scopes Sites.FullControl.All; Get-MgContext / Graph Explorer);
#             GRANT_CLIENT_ID + GRANT_CLIENT_SECRET   a separate, temporary admin app registration with the
#                                              Sites.FullControl.All application permission (client credentials);
#             az account get-access-token      last resort; works only where the tenant allows it.
#           Simplest for most councils: run the .ps1 twin, which signs in with Sites.FullControl.All.
#
# Roles: read | write | manage | fullcontrol. The running app needs `write` (read and write list items).
# `dplan provision` creates lists and columns, which `write` cannot do: either run provisioning as a
# SharePoint admin, or grant `manage` (or `fullcontrol`) for provisioning, then run this script again
# with `--role write` to step back down.
#
# Microsoft documentation:
#   https://learn.microsoft.com/graph/permissions-selected-overview
#   https://learn.microsoft.com/graph/api/site-post-permissions
#   https://learn.microsoft.com/graph/api/site-update-permission
#   https://learn.microsoft.com/graph/permissions-reference#sitesselected  (app role 883ea226-0bf2-4a8f-9f9d-92c9162a727d)
#
# Usage:
#   infra/sharepoint/grant-sites-selected.sh --app-id <client-id> --site contoso.sharepoint.com:/sites/prevent \
#       [--role write] [--display-name "Delivery Plan"] [--skip-consent] [--revoke] [--dry-run]
#
# Needs: bash, the Azure CLI (az) signed in to the council's tenant (az login --tenant <tenant-id>), curl.
set -euo pipefail

GRAPH="https://graph.microsoft.com/v1.0"
GRAPH_APP_ID="00000003-0000-0000-c000-000000000000"   # Microsoft Graph
SITES_SELECTED_ROLE="883ea226-0bf2-4a8f-9f9d-92c9162a727d" # Sites.Selected (application)

APP_ID=""
SITE=""
ROLE="write"
DISPLAY_NAME=""
SKIP_CONSENT=0
REVOKE=0
DRY_RUN=0

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

die() {
  echo "error: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --app-id) APP_ID="${2:-}"; shift 2 ;;
    --site) SITE="${2:-}"; shift 2 ;;
    --role) ROLE="${2:-}"; shift 2 ;;
    --display-name) DISPLAY_NAME="${2:-}"; shift 2 ;;
    --skip-consent) SKIP_CONSENT=1; shift ;;
    --revoke) REVOKE=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option $1 (try --help)" ;;
  esac
done

[[ "$APP_ID" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]] \
  || die "--app-id must be the app registration's Application (client) ID (a GUID)"
[[ "$SITE" =~ ^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+:/.+ ]] || die "--site must be hostname:/sites/path, e.g. contoso.sharepoint.com:/sites/prevent"
case "$ROLE" in read|write|manage|fullcontrol) ;; *) die "--role must be read, write, manage or fullcontrol" ;; esac

command -v az >/dev/null || die "the Azure CLI (az) is required: https://learn.microsoft.com/cli/azure/install-azure-cli"
command -v curl >/dev/null || die "curl is required"

run() {
  if [ "$DRY_RUN" = 1 ]; then
    echo "[dry-run] $*"
  else
    "$@"
  fi
}

TENANT_ID="$(az account show --query tenantId -o tsv)" || die "sign in first: az login --tenant <tenant-id>"
echo "Tenant: $TENANT_ID"
if [ -z "$DISPLAY_NAME" ]; then
  DISPLAY_NAME="$(az ad app show --id "$APP_ID" --query displayName -o tsv)" \
    || die "no app registration with client id $APP_ID in this tenant"
fi
echo "App:    $DISPLAY_NAME ($APP_ID)"
echo "Site:   $SITE"

# --- Step 1: Sites.Selected application permission + admin consent ---------------------------
if [ "$SKIP_CONSENT" = 0 ] && [ "$REVOKE" = 0 ]; then
  existing="$(az ad app show --id "$APP_ID" \
    --query "requiredResourceAccess[?resourceAppId=='$GRAPH_APP_ID'].resourceAccess[] | [?id=='$SITES_SELECTED_ROLE'] | length(@)" -o tsv)"
  if [ "$existing" = "0" ]; then
    echo "Adding the Sites.Selected application permission to the app registration..."
    run az ad app permission add --id "$APP_ID" --api "$GRAPH_APP_ID" --api-permissions "$SITES_SELECTED_ROLE=Role"
  else
    echo "Sites.Selected is already requested by the app registration."
  fi
  echo "Granting admin consent (needs Privileged Role Administrator or Global Administrator)..."
  run az ad app permission admin-consent --id "$APP_ID"
fi

# --- Step 2: the grant on the plan's site ------------------------------------------------------
get_token() {
  if [ -n "${GRAPH_TOKEN:-}" ]; then
    echo "Using the token in GRAPH_TOKEN." >&2
    printf '%s' "$GRAPH_TOKEN"
  elif [ -n "${GRANT_CLIENT_ID:-}" ] && [ -n "${GRANT_CLIENT_SECRET:-}" ]; then
    echo "Using client credentials of GRANT_CLIENT_ID ($GRANT_CLIENT_ID)." >&2
    local body
    body="$(curl -sS --fail-with-body -X POST "https://login.microsoftonline.com/$TENANT_ID/oauth2/v2.0/token" \
      --data-urlencode "client_id=$GRANT_CLIENT_ID" \
      --data-urlencode "client_secret=$GRANT_CLIENT_SECRET" \
      --data-urlencode "scope=https://graph.microsoft.com/.default" \
      --data-urlencode "grant_type=client_credentials")" || die "token request failed: $body"
    # Extract access_token without jq.
    printf '%s' "$body" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
  else
    echo "Using the Azure CLI's Microsoft Graph token (may lack Sites.FullControl.All; see --help)." >&2
    az account get-access-token --resource https://graph.microsoft.com --query accessToken -o tsv
  fi
}

TOKEN="$(get_token)"
[ -n "$TOKEN" ] || die "could not obtain a Microsoft Graph token"

graph() {
  # graph METHOD URL [BODY] [JMESPATH]: az rest with our token (az parses JSON; no jq needed).
  local method="$1" url="$2" body="${3:-}" query="${4:-}"
  local args=(rest --method "$method" --url "$url" --skip-authorization-header
    --headers "Authorization=Bearer $TOKEN" "Content-Type=application/json")
  [ -n "$body" ] && args+=(--body "$body")
  [ -n "$query" ] && args+=(--query "$query" -o tsv)
  az "${args[@]}"
}

host="${SITE%%:*}"
path="${SITE#*:}"
SITE_ID="$(graph GET "$GRAPH/sites/$host:$path" "" "id")" \
  || die "could not read the site $SITE with this token. A 403 here means the token lacks Sites.FullControl.All: set GRAPH_TOKEN or GRANT_CLIENT_ID/GRANT_CLIENT_SECRET, or use grant-sites-selected.ps1."
echo "Site id: $SITE_ID"

PERMISSION_ID="$(graph GET "$GRAPH/sites/$SITE_ID/permissions" "" \
  "value[?grantedToIdentitiesV2[?application.id=='$APP_ID'] || grantedToIdentities[?application.id=='$APP_ID']] | [0].id")"

if [ "$REVOKE" = 1 ]; then
  if [ -z "$PERMISSION_ID" ] || [ "$PERMISSION_ID" = "None" ]; then
    echo "The app has no grant on this site: nothing to revoke."
    exit 0
  fi
  echo "Revoking the app's grant $PERMISSION_ID on the site..."
  run graph DELETE "$GRAPH/sites/$SITE_ID/permissions/$PERMISSION_ID"
  echo "Revoked."
  exit 0
fi

if [ -z "$PERMISSION_ID" ] || [ "$PERMISSION_ID" = "None" ]; then
  # Creating accepts read or write; manage/fullcontrol are set by updating the new grant.
  create_role="$ROLE"
  case "$ROLE" in manage|fullcontrol) create_role="write" ;; esac
  echo "Granting '$create_role' on the site..."
  body="{\"roles\":[\"$create_role\"],\"grantedToIdentities\":[{\"application\":{\"id\":\"$APP_ID\",\"displayName\":\"${DISPLAY_NAME//\"/}\"}}]}"
  if [ "$DRY_RUN" = 1 ]; then
    echo "[dry-run] POST $GRAPH/sites/$SITE_ID/permissions $body"
    exit 0
  fi
  PERMISSION_ID="$(graph POST "$GRAPH/sites/$SITE_ID/permissions" "$body" "id")"
  if [ "$create_role" != "$ROLE" ]; then
    echo "Raising the grant to '$ROLE'..."
    graph PATCH "$GRAPH/sites/$SITE_ID/permissions/$PERMISSION_ID" "{\"roles\":[\"$ROLE\"]}" "id" >/dev/null
  fi
else
  echo "The app already has grant $PERMISSION_ID on the site; setting its role to '$ROLE'..."
  run graph PATCH "$GRAPH/sites/$SITE_ID/permissions/$PERMISSION_ID" "{\"roles\":[\"$ROLE\"]}" "id" >/dev/null
fi

if [ "$DRY_RUN" = 0 ]; then
  roles="$(graph GET "$GRAPH/sites/$SITE_ID/permissions/$PERMISSION_ID" "" "join(',', roles)")"
  echo "Done: $DISPLAY_NAME has [$roles] on $SITE (grant $PERMISSION_ID)."
fi
