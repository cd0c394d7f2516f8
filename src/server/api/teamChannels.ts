/**
 * The channels of the team a tab is in, for choosing where the weekly digest goes: Microsoft Graph
 * `GET /teams/{team-id}/channels` on behalf of the signed-in co-ordinator (delegated
 * Channel.ReadBasic.All; the response leaves out private and shared channels they are not a member
 * of), through the app's one Graph client with its retries and paging.
 * https://learn.microsoft.com/graph/api/channel-list
 * A standard channel's id (19:…@thread.tacv2) is also its conversation id, which the bot posts to.
 */
import type { GraphHttp } from '../../graph/graphHttp';
import { UnavailableError } from './errors';
import { onBehalfOfFailure } from './peopleSearch';

export interface TeamChannel {
  id: string;
  name: string;
  /** standard, private or shared (the bot can post only where it is installed: standard channels of the team). */
  membershipType: string;
}

interface GraphChannel {
  id: string;
  displayName?: string;
  membershipType?: string;
}

const CHANNELS = {
  may: "list your team's channels",
  doing: "list the team's channels",
  permission: 'Channel.ReadBasic.All',
  instead: 'Meanwhile, leave the digest channel empty for the channel the app was added to.',
};

export async function listTeamChannels(graph: GraphHttp, teamId: string): Promise<TeamChannel[]> {
  let channels: GraphChannel[];
  try {
    channels = await graph.getAll<GraphChannel>(`/teams/${encodeURIComponent(teamId)}/channels?$select=id,displayName,membershipType`);
  } catch (err) {
    const exchange = onBehalfOfFailure(err, CHANNELS);
    if (exchange) throw exchange;
    const status = (err as { status?: number }).status;
    throw new UnavailableError(
      `Microsoft Graph could not list this team's channels just now${status ? ` (${status})` : ''}. Try again later, or leave the channel empty for the channel the app was added to.`,
    );
  }
  return channels
    .map((c) => ({ id: c.id, name: c.displayName ?? c.id, membershipType: c.membershipType ?? 'standard' }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}
