/**
 * What the Teams side needs, checked with the app's own credentials:
 *  - application permissions consented, read from the Graph token's `roles` claim
 *    (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference):
 *    Sites.Selected (the plan's lists), TeamsAppInstallation.ReadWriteSelfForUser.All (installing the
 *    app for a lead before the first prompt, https://learn.microsoft.com/en-us/graph/api/userteamwork-post-installedapps)
 *    and Mail.Send (e-mail to external partners, https://learn.microsoft.com/en-us/graph/api/user-sendmail),
 *    the last limited to the sending mailbox by an application access policy or RBAC for Applications
 *    in Exchange Online, which Graph cannot show
 *    (https://learn.microsoft.com/en-us/powershell/module/exchange/test-applicationaccesspolicy);
 *  - the Teams app in the organisation's catalog by its manifest id, whose catalog id an install
 *    binds to (https://learn.microsoft.com/en-us/graph/api/appcatalogs-list-teamsapps, AppCatalog.Read.All);
 *  - a Bot Framework token for the bot's credentials: client credentials with the scope
 *    https://api.botframework.com/.default, from the bot's tenant (single-tenant bots)
 *    (https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).
 */
import type { GraphHttp } from '../graph/graphHttp';
import { MissingGrantError } from '../graph/graphErrors';
import { requestAppToken, type TokenRequest } from './appToken';
import { fail, messageOf, pass, warn, type CheckResult } from './checkResult';

const SITES_WIDE = ['Sites.ReadWrite.All', 'Sites.Manage.All', 'Sites.FullControl.All'];

export function consentChecks(roles: string[], clientId: string): CheckResult[] {
  const consent = (permission: string, why: string) =>
    `Add the Microsoft Graph application permission ${permission} to app registration ${clientId} and grant admin consent (Entra → App registrations → API permissions): ${why}.`;
  const results: CheckResult[] = [];
  const sitesTitle = 'Permission Sites.Selected (application)';
  if (roles.includes('Sites.Selected')) results.push(pass('consent-sites', sitesTitle, 'consented'));
  else if (roles.some((r) => SITES_WIDE.includes(r))) {
    results.push(
      warn(
        'consent-sites',
        sitesTitle,
        `not consented; the app has ${roles.filter((r) => SITES_WIDE.includes(r)).join(', ')}, which reaches every site`,
        "Prefer Sites.Selected with a role on the plan's site only (docs/deployment.md step 5), and remove the tenant-wide permission.",
      ),
    );
  } else
    results.push(fail('consent-sites', sitesTitle, 'not consented', consent('Sites.Selected', 'the app keeps plans in SharePoint lists')));

  const install = 'TeamsAppInstallation.ReadWriteSelfForUser.All';
  results.push(
    roles.includes(install)
      ? pass('consent-install', `Permission ${install}`, 'consented')
      : fail(
          'consent-install',
          `Permission ${install}`,
          'not consented',
          consent(install, 'the bot installs itself for a lead it cannot message yet'),
        ),
  );
  const mailTitle = 'Permission Mail.Send (application)';
  if (roles.includes('Mail.Send')) {
    results.push(pass('consent-mail', mailTitle, 'consented'));
    results.push(
      warn(
        'mail-policy',
        'Mail.Send limited to the sending mailbox',
        "cannot be read with the app's credentials",
        `In Exchange Online PowerShell, limit it (New-ApplicationAccessPolicy -AppId ${clientId} -PolicyScopeGroupId <sender group> -AccessRight RestrictAccess, or RBAC for Applications) and check: Test-ApplicationAccessPolicy -Identity <another mailbox> -AppId ${clientId} says Denied.`,
      ),
    );
  } else {
    results.push(fail('consent-mail', mailTitle, 'not consented', consent('Mail.Send', 'prompts go by e-mail to external partners')));
  }
  return results;
}

export async function catalogCheck(http: GraphHttp, manifestId: string): Promise<CheckResult> {
  const title = `Teams app ${manifestId} in the org catalog`;
  const q = (field: string) => `/appCatalogs/teamsApps?$filter=${encodeURIComponent(`${field} eq '${manifestId.replace(/'/g, "''")}'`)}`;
  try {
    const [byManifest, byId] = await http.batch<{
      value?: Array<{ id: string; externalId?: string; displayName?: string; distributionMethod?: string }>;
    }>(
      [
        { id: 'external', method: 'GET', url: q('externalId') },
        { id: 'id', method: 'GET', url: q('id') },
      ],
      { idempotent: true },
    );
    for (const answer of [byManifest!, byId!]) {
      if (answer.status === 403) throw new MissingGrantError('AppCatalog.Read.All', 'GET', '/appCatalogs/teamsApps', 'Forbidden');
    }
    const app = [...(byManifest!.body.value ?? []), ...(byId!.body.value ?? [])][0];
    if (!app) {
      return fail(
        'catalog',
        title,
        'not found by manifest id or catalog id',
        'Upload build/appPackage.zip in the Teams admin centre (docs/deployment.md steps 7 and 8); then set TEAMS_APP_ID to the catalog id the admin centre shows (step 8.4); the manifest id is CLIENT_ID.',
      );
    }
    return pass(
      'catalog',
      title,
      `"${app.displayName ?? ''}", catalog id ${app.id}, ${app.distributionMethod ?? 'organization'}${app.id === manifestId ? '' : ` (set TEAMS_APP_ID=${app.id})`}`,
    );
  } catch (error) {
    if (error instanceof MissingGrantError) {
      return fail(
        'catalog',
        title,
        'Graph answers 403: the app may not read the catalog',
        'Add the Microsoft Graph application permission AppCatalog.Read.All and grant admin consent: installing the app for a user binds to its catalog id.',
      );
    }
    return fail('catalog', title, messageOf(error), 'Check the Graph base URL.');
  }
}

export async function botTokenCheck(request: TokenRequest, fetchFn?: typeof fetch): Promise<CheckResult> {
  const title = "Bot Framework token for the bot's credentials";
  const answer = await requestAppToken(request, fetchFn);
  return answer.ok
    ? pass('bot-token', title, `issued by ${request.tenant} for ${request.scope}`)
    : fail('bot-token', title, answer.detail, answer.advice);
}
