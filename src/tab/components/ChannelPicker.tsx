/**
 * The weekly digest's channel, chosen from the team's channels (in Teams: the server lists them
 * from Graph on behalf of the co-ordinator) rather than typed as a raw 19:…@thread.tacv2 id. Empty
 * means the channel the app was added to. Outside Teams (local mode), or when the channels cannot be
 * listed, the id is typed, and the reason is said beside the field.
 */
import { Field, Input, Select, Spinner } from '@fluentui/react-components';
import { useEffect, useState, type ReactElement } from 'react';
import { ApiError } from '../api';
import { usePlan } from '../context';

interface Channel {
  id: string;
  name: string;
  membershipType: string;
}

interface ChannelList {
  available: boolean;
  channels: Channel[];
  message?: string;
}

export function ChannelPicker(props: {
  value: string;
  onChange(value: string): void;
  disabled: boolean;
  /** The server's words about the value, shown under the field. */
  error?: string;
}): ReactElement {
  const { api, plan, team } = usePlan();
  const [list, setList] = useState<ChannelList>();
  const [failed, setFailed] = useState<string>();

  useEffect(() => {
    if (!team) return;
    let live = true;
    api.get<ChannelList>(`/plans/${encodeURIComponent(plan.id)}/channels?team=${encodeURIComponent(team.groupId)}`).then(
      (l) => live && setList(l),
      (e: unknown) => live && setFailed(e instanceof ApiError ? e.message : "The team's channels could not be listed."),
    );
    return () => {
      live = false;
    };
  }, [api, plan.id, team]);

  const validation = props.error ? { validationMessage: props.error, validationState: 'error' as const } : {};
  const here = team?.channelName ? `This channel (${team.channelName}), where the app was added` : 'The channel the app was added to';

  if (team && !list && !failed) return <Spinner size="tiny" label="Listing the team's channels…" />;
  if (list?.available) {
    // The bot posts only where it is installed: the team's standard channels.
    const channels = list.channels.filter((c) => c.membershipType === 'standard');
    const known = props.value === '' || channels.some((c) => c.id === props.value);
    return (
      <Field label="Digest channel" hint="The team's channels; the bot posts the digest there." {...validation}>
        <Select value={props.value} onChange={(_e, d) => props.onChange(d.value)} disabled={props.disabled} data-testid="digest-channel">
          <option value="">{here}</option>
          {channels.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
          {!known && <option value={props.value}>A channel not in this team ({props.value})</option>}
        </Select>
      </Field>
    );
  }
  return (
    <Field
      label="Digest channel id"
      hint={`${failed ?? list?.message ?? 'Outside Teams the channel cannot be chosen from a list.'} A Teams channel id looks like 19:…@thread.tacv2; leave it empty for the channel the app was added to.`}
      {...validation}
    >
      <Input value={props.value} onChange={(_e, d) => props.onChange(d.value)} disabled={props.disabled} data-testid="digest-channel" />
    </Field>
  );
}
