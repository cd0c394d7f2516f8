/** The lead directory (role → people, who answered, who cannot be reached) and people search. */
import express from 'express';
import { emailPersonId, isEmailOnly } from '../../domain/emailPeople';
import { slugify } from '../../domain/identity';
import { ownerRoleOf } from '../../domain/recipients';
import { graphHttpForUser } from '../../graph/graphConnection';
import type { Person } from '../../store/planStore';
import { requireCoordinator } from '../../usecases/editItem';
import { actorOfCaller, callerOf } from '../auth';
import { param, planOr404, type ApiDeps } from './apiDeps';
import { directoryView } from './directory';
import { ValidationError } from '../../errors';
import { searchDirectoryPeople, searchGraphPeople } from './peopleSearch';
import { directoryPutSchema, peopleQuerySchema } from './schemas';

export function directoryRoutes(deps: ApiDeps): express.Router {
  const { store, config, logger } = deps;
  const router = express.Router();
  const graphForUser = deps.graphForUser ?? ((token: string) => graphHttpForUser(config, logger, token));

  async function directoryFor(planId: string): Promise<ReturnType<typeof directoryView>> {
    const [items, directory, history, unreachable, settings] = await Promise.all([
      store.listItems(planId),
      store.listDirectory(planId),
      store.history(planId),
      deps.bot ? deps.bot.unreachableLeads(planId).catch(() => []) : Promise.resolve([]),
      deps.settings.settingsFor(planId),
    ]);
    return directoryView(items, directory, history, unreachable, ownerRoleOf(settings.ownerRole, items));
  }

  router.get('/people', async (req, res) => {
    const caller = callerOf(req);
    const { q } = peopleQuerySchema.parse(req.query);
    if (!caller.token || !config.CLIENT_SECRET) {
      res.json(await searchDirectoryPeople(store, q));
      return;
    }
    // The organisation's people from Graph, then the external partners already named (Graph does not know them).
    const [org, partners] = await Promise.all([
      searchGraphPeople(graphForUser(caller.token), q),
      searchDirectoryPeople(store, q, { externalOnly: true }),
    ]);
    res.json([...org, ...partners.filter((p) => !org.some((o) => o.email && o.email.toLowerCase() === p.email))].slice(0, 15));
  });

  router.get('/plans/:planId/directory', async (req, res) => {
    const planId = param(req, 'planId');
    await planOr404(store, planId);
    res.json(await directoryFor(planId));
  });

  router.put('/plans/:planId/directory', async (req, res) => {
    requireCoordinator(actorOfCaller(callerOf(req)), config.COORDINATOR_IDS, 'change the directory');
    const planId = param(req, 'planId');
    await planOr404(store, planId);
    const body = directoryPutSchema.parse(req.body ?? {});
    for (const { role, people } of body.roles) {
      const withIds: Person[] = people.map((p, i) => {
        // An external partner (outside the organisation, reached by e-mail) is `mailto:` and their address in lower case.
        if (p.id?.toLowerCase().startsWith('mailto:') && (!p.email || p.id.toLowerCase() !== `mailto:${p.email.toLowerCase()}`))
          throw new ValidationError(
            `${p.name}: a person added by e-mail needs their e-mail address, the same as in their id (mailto:<address>)`,
            `roles.${body.roles.findIndex((r) => r.role === role)}.people.${i}.email`,
          );
        const id = p.id?.toLowerCase().startsWith('mailto:') ? p.id.toLowerCase() : p.id;
        const person: Person = { id: id ?? p.email?.toLowerCase() ?? `local:${slugify(p.name)}`, name: p.name };
        if (p.email) person.email = p.email;
        // Held by e-mail only: the agreed form, `mailto:<lower-case address>` with the address as email.
        if (isEmailOnly(person)) {
          person.id = emailPersonId(person.id.slice('mailto:'.length));
          person.email ??= person.id.slice('mailto:'.length);
        }
        if (p.away) person.away = true;
        if (p.deputy) person.deputy = true;
        return person;
      });
      if (withIds.length) await store.setPeople(planId, role, withIds);
      else await store.removeRole(planId, role);
    }
    logger.info({ planId, roles: body.roles.length }, 'directory changed');
    res.json(await directoryFor(planId));
  });

  return router;
}
