import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { DateTime } from 'luxon';

import type { EventType } from '../common/event';
import { activityTypeCodes, matchesActivityKinds } from './activities';
import type { ObjectType } from './events';
import { EventParts, labelOf } from './events';
import type { ChangeRecord, Stream } from './model';
import { STREAMS } from './model';
import type { Authentication, PardotConnection, TransportOptions } from '../shared/transport';
import { loadConnection } from '../shared/transport';
import { looksLikeOtherFamily, parseFieldList, unknownV5Fields } from './transport/fields';
import { createLegacySource } from './transport/legacy';
import { OBJECTS } from './transport/objects';
import type { ChangeSource } from './transport/source';
import { createV5Source } from './transport/v5';

/**
 * The trigger's parameters, read and checked once per poll before any request, and the source they
 * call for: which Pardot streams serve the chosen resources, and the adapter of the credential's API
 * family (transport/legacy.ts or transport/v5.ts).
 */

/** The trigger's settings, read once per poll from the node parameters. */
export interface TriggerSettings {
	authentication: Authentication;
	resources: ObjectType[];
	events: EventType[];
	leadsAre: 'opportunities' | 'salesforceLeads';
	startFrom?: number;
	maxEventsPerPoll: number;
	/** Fields for `raw`, per resource (empty: every field on v3/v4, a useful set on v5). */
	fields: Partial<Record<ObjectType, string[]>>;
	/** Visitor activity kinds to emit (activities.ts); empty: every activity. */
	activityTypes: string[];
	transport?: TransportOptions;
}

/** The parameters' defaults: the node's description (description.ts) shows these, readSettings falls back to them. */
export const DEFAULTS = {
	authentication: 'oAuth2' as Authentication,
	resources: ['contacts', 'leads'] as readonly ObjectType[],
	events: ['CREATED', 'UPDATED'] as readonly EventType[],
	leadsAre: 'opportunities' as TriggerSettings['leadsAre'],
	maxEventsPerPoll: 1000,
};

/** Resources read from a Pardot object of the same name. */
const OWN_STREAM: Partial<Record<ObjectType, Stream>> = {
	visitorActivities: 'visitorActivities',
	listMemberships: 'listMemberships',
	lists: 'lists',
	campaigns: 'campaigns',
	visitors: 'visitors',
};
const FIELD_OPTION: Partial<Record<ObjectType, string>> = { contacts: 'Contact Fields', leads: 'Lead Fields' };

/**
 * "Start From" as n8n's date picker stores it has no offset: it means a wall-clock time in the
 * workflow's time zone (n8n's own nodes read it so). A value with an offset is taken as given.
 */
export function parseStartFrom(value: unknown, zone: string): number | undefined {
	const text = value === undefined || value === null ? '' : String(value).trim();
	if (!text) return undefined;
	const parsed = DateTime.fromISO(text.replace(' ', 'T'), { zone });
	if (parsed.isValid) return parsed.toMillis();
	const fallback = Date.parse(text);
	return Number.isFinite(fallback) ? fallback : NaN;
}

/** Max Events Per Poll as set, or its default when it is not a number of 1 or more. */
export function maxEventsPerPollOf(value: unknown): number {
	const max = Number(value ?? DEFAULTS.maxEventsPerPoll);
	return Number.isFinite(max) && max >= 1 ? Math.floor(max) : DEFAULTS.maxEventsPerPoll;
}

export function readSettings(ctx: IPollFunctions): TriggerSettings {
	const options = (ctx.getNodeParameter('options', {}) as IDataObject) ?? {};
	const startFrom = parseStartFrom(options.startFrom, ctx.getTimezone());
	if (startFrom !== undefined && !Number.isFinite(startFrom)) {
		throw new NodeOperationError(ctx.getNode(), `"Start From" is not a valid date: ${String(options.startFrom)}`);
	}
	return {
		authentication: ctx.getNodeParameter('authentication', DEFAULTS.authentication) as Authentication,
		resources: ctx.getNodeParameter('resources', [...DEFAULTS.resources]) as ObjectType[],
		events: ctx.getNodeParameter('events', [...DEFAULTS.events]) as EventType[],
		leadsAre: (options.leadsAre as TriggerSettings['leadsAre']) ?? DEFAULTS.leadsAre,
		startFrom,
		maxEventsPerPoll: maxEventsPerPollOf(options.maxEventsPerPoll),
		// `fields` is the option's stored name from the pre-release builds on (shown as Contact Fields).
		fields: { contacts: parseFieldList(options.fields), leads: parseFieldList(options.leadFields) },
		activityTypes: Array.isArray(options.activityTypes) ? (options.activityTypes as string[]) : [],
	};
}

/** Which Pardot streams serve the selected resources, and which object types each one feeds. */
export function streamsFor(settings: Pick<TriggerSettings, 'resources' | 'leadsAre'>): Map<Stream, ObjectType[]> {
	const streams = new Map<Stream, ObjectType[]>();
	const add = (stream: Stream, objectType: ObjectType) => streams.set(stream, [...(streams.get(stream) ?? []), objectType]);
	if (settings.resources.includes('contacts')) add('prospects', 'contacts');
	if (settings.resources.includes('leads')) add(settings.leadsAre === 'salesforceLeads' ? 'prospects' : 'opportunities', 'leads');
	for (const resource of settings.resources) {
		const own = OWN_STREAM[resource];
		if (own) add(own, resource);
	}
	// Read and emitted in one fixed order (events of one second: prospects first, then opportunities...).
	return new Map(STREAMS.filter((stream) => streams.has(stream)).map((stream) => [stream, streams.get(stream)!]));
}

/** Resources an API family cannot poll, named before any request. */
export function checkResources(ctx: IPollFunctions, conn: PardotConnection, streams: Map<Stream, ObjectType[]>): void {
	if (conn.apiVersion === '5') return;
	for (const [stream, feeds] of streams) {
		if (OBJECTS[stream].legacy) continue;
		throw new NodeOperationError(ctx.getNode(), `${labelOf(feeds)} need Pardot API v5`, {
			description: `Pardot API v3/v4 return ${stream} without any date, so their changes cannot be found. Use the Pardot OAuth2 credential with API Version 5, or remove ${labelOf(feeds)} from Resources. Nothing was read or emitted.`,
		});
	}
}

/** Checks field names where the API's list is known (v5), before any request. */
export function checkFields(ctx: IPollFunctions, conn: PardotConnection, streams: Map<Stream, ObjectType[]>, settings: TriggerSettings): void {
	if (conn.apiVersion !== '5') return;
	for (const [stream, feeds] of streams) {
		for (const objectType of feeds) {
			const unknown = unknownV5Fields(stream, settings.fields[objectType] ?? []);
			if (!unknown.length) continue;
			const hint = unknown.some((f) => looksLikeOtherFamily(f, true))
				? ' API v5 uses camelCase names (firstName, not first_name).'
				: '';
			throw new NodeOperationError(
				ctx.getNode(),
				`${FIELD_OPTION[objectType] ?? 'Fields'}: ${unknown.map((f) => `"${f}"`).join(', ')} ${unknown.length > 1 ? 'are not fields' : 'is not a field'} of Pardot ${stream} in API v5`,
				{
					description: `Remove or correct ${unknown.length > 1 ? 'them' : 'it'} in the Pardot Trigger's options.${hint} Custom fields end in __c. Nothing was read or emitted.`,
				},
			);
		}
	}
}

export function createSource(
	ctx: IPollFunctions,
	conn: PardotConnection,
	streams: Map<Stream, ObjectType[]>,
	settings: TriggerSettings,
	parts?: EventParts,
): ChangeSource {
	// One query serves every object type a stream feeds: ask for the union of their fields (all
	// fields when one of them wants all).
	const fields: Partial<Record<Stream, string[]>> = {};
	for (const [stream, feeds] of streams) {
		const lists = feeds.map((t) => settings.fields[t] ?? []);
		if (lists.every((l) => l.length > 0)) fields[stream] = [...new Set(lists.flat())];
	}
	const kinds = settings.activityTypes;
	// Pages read ahead: their events' ids and dates are computed while the next page is on its way.
	const meanwhile = parts && ((stream: Stream, records: ChangeRecord[]) => parts.prepare(records, streams.get(stream) ?? []));
	// v5's `type` filter is not documented: read every activity, keep the chosen types as they are read.
	if (conn.apiVersion === '5') {
		return createV5Source(ctx, conn, fields, settings.transport, kinds.length ? { visitorActivities: (raw) => matchesActivityKinds(raw, kinds) } : {}, meanwhile);
	}
	// v3/v4 select activity types on the server.
	const codes = activityTypeCodes(kinds);
	return createLegacySource(ctx, conn, fields, settings.transport, codes ? { visitorActivities: { type: codes } } : {}, meanwhile);
}

/** What a poll works with: its settings, the streams they call for, and the source to read them from. */
export interface PollSetup {
	settings: TriggerSettings;
	streams: Map<Stream, ObjectType[]>;
	source: ChangeSource;
	/** The poll's event ids and dates, computed once (events.ts). */
	parts: EventParts;
}

/**
 * Reads and checks the settings (`overrides` win: tests pass the transport's options), loads the
 * credential and makes the source. Every refusal comes before the first request to Pardot.
 */
export async function preparePoll(ctx: IPollFunctions, overrides: Partial<TriggerSettings> = {}): Promise<PollSetup> {
	const settings = { ...readSettings(ctx), ...overrides };
	const streams = streamsFor(settings);
	if (streams.size === 0 || settings.events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Select at least one resource and one event type');
	}
	const conn = await loadConnection(ctx, settings.authentication);
	checkResources(ctx, conn, streams);
	checkFields(ctx, conn, streams, settings);
	const parts = new EventParts();
	return { settings, streams, source: createSource(ctx, conn, streams, settings, parts), parts };
}
