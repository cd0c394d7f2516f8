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
    const inTeams = caller.token && config.CLIENT_SECRET;
    res.json(inTeams ? await searchGraphPeople(graphForUser(caller.token!), q) : await searchDirectoryPeople(store, q));
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
      const withIds: Person[] = people.map((p) => {
        const person: Person = { id: p.id ?? p.email?.toLowerCase() ?? `local:${slugify(p.name)}`, name: p.name };
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
