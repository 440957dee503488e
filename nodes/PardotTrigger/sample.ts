import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { matchesActivityKinds } from './activities';
import { classifySample } from './classify';
import type { ObjectType, PardotEvent } from './events';
import { toEvent } from './events';
import type { Stream } from './model';
import { isSalesforceLead } from './model';
import type { TriggerSettings } from './settings';
import type { ChangeSource } from './transport/source';

/**
 * Fetch Test Event (a manual run): the most recent change of each selected resource, as an event. One
 * request per stream; the trigger's saved position is neither read nor written.
 */
export async function sampleEvents(
	ctx: IPollFunctions,
	source: ChangeSource,
	streams: Map<Stream, ObjectType[]>,
	settings: TriggerSettings,
): Promise<INodeExecutionData[][]> {
	const events: PardotEvent[] = [];
	for (const [stream, feeds] of streams) {
		// A sample of the chosen activity types, not merely the newest activity.
		const accept = stream === 'visitorActivities' && settings.activityTypes.length ? (raw: IDataObject) => matchesActivityKinds(raw, settings.activityTypes) : undefined;
		const change = await source.latest(stream, accept);
		if (!change) continue;
		const types = feeds.filter((t) => t !== 'leads' || stream === 'opportunities' || isSalesforceLead(change.raw));
		for (const objectType of types.length ? types : feeds.slice(0, 1)) {
			events.push(toEvent(change, objectType, classifySample(change), Date.now(), settings.fields[objectType] ?? []));
		}
	}
	if (events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Pardot has no records of the selected resources yet', {
			description:
				settings.activityTypes.length && streams.has('visitorActivities')
					? 'None of the newest visitor activities is of the chosen Activity Types (and no other selected resource has records). Make one in Pardot, then fetch a test event again.'
					: 'Create a prospect (or opportunity) in Pardot, then fetch a test event again.',
		});
	}
	return [events.map((event) => ({ json: event }))];
}
