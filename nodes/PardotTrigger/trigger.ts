import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { DateTime } from 'luxon';

import type { EventType } from '../common/event';
import { classifySample } from './classify';
import type { StreamCursor } from './cursor';
import type { ObjectType, PardotEvent } from './events';
import { toEvent } from './events';
import { looksLikeOtherFamily, parseFieldList, unknownV5Fields } from './transport/fields';
import type { LeadsMemory } from './leads';
import { leadEventType, rememberLead } from './leads';
import type { StreamInput } from './plan';
import { planPoll } from './plan';
import type { ReadResult } from './read';
import { readStream } from './read';
import type { StaticState } from './state';
import { readState, StateError, writeState } from './state';
import { instantToIso } from './time';
import type { Authentication, PardotConnection, TransportOptions } from '../shared/transport';
import { loadConnection, pardotErrorCode } from '../shared/transport';
import { PARDOT_ERROR } from '../shared/transport/errors';
import { isOwnFailure } from '../shared/transport/failures';
import { createLegacySource } from './transport/legacy';
import type { ChangeRecord, ChangeSource, Stream } from './transport/source';
import { isSalesforceLead, secondOf, STREAMS } from './transport/source';
import { createV5Source } from './transport/v5';
import { OBJECTS } from './transport/objects';
import { activityTypeCodes, matchesActivityKinds } from './activities';

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

/** Max Events Per Poll's default (the node's parameter says the same). */
const DEFAULT_MAX_EVENTS_PER_POLL = 1000;
/** How far before Pardot's Date header an activated trigger starts (clock skew between Pardot's servers). */
const ACTIVATION_SLACK_MS = 2_000;
/** How long the trigger trusts its proof that Pardot does not list a recycle bin, before it checks again. */
const RECYCLE_BIN_RECHECK_MS = 24 * 60 * 60_000;
/** Reading narrows to a window once this share of n8n's poll budget is spent. */
const POLL_BUDGET_SHARE = 0.8;

const LABEL: Record<ObjectType, string> = {
	contacts: 'Contacts',
	leads: 'Leads',
	visitorActivities: 'Visitor Activities',
	listMemberships: 'List Memberships',
	lists: 'Lists',
	campaigns: 'Campaigns',
	visitors: 'Visitors',
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

export function readSettings(ctx: IPollFunctions): TriggerSettings {
	const options = (ctx.getNodeParameter('options', {}) as IDataObject) ?? {};
	const startFrom = parseStartFrom(options.startFrom, ctx.getTimezone());
	if (startFrom !== undefined && !Number.isFinite(startFrom)) {
		throw new NodeOperationError(ctx.getNode(), `"Start From" is not a valid date: ${String(options.startFrom)}`);
	}
	const maxEventsPerPoll = Number(options.maxEventsPerPoll ?? DEFAULT_MAX_EVENTS_PER_POLL);
	return {
		authentication: ctx.getNodeParameter('authentication', 'oAuth2') as Authentication,
		resources: ctx.getNodeParameter('resources', ['contacts', 'leads']) as ObjectType[],
		events: ctx.getNodeParameter('events', ['CREATED', 'UPDATED']) as EventType[],
		leadsAre: (options.leadsAre as TriggerSettings['leadsAre']) ?? 'opportunities',
		startFrom,
		maxEventsPerPoll: Number.isFinite(maxEventsPerPoll) && maxEventsPerPoll >= 1 ? Math.floor(maxEventsPerPoll) : DEFAULT_MAX_EVENTS_PER_POLL,
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
		throw new NodeOperationError(ctx.getNode(), `${feeds.map((t) => LABEL[t]).join(' and ')} need Pardot API v5`, {
			description: `Pardot API v3/v4 return ${stream} without any date, so their changes cannot be found. Use the Pardot OAuth2 credential with API Version 5, or remove ${feeds.map((t) => LABEL[t]).join(' and ')} from Resources. Nothing was read or emitted.`,
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

export function createSource(ctx: IPollFunctions, conn: PardotConnection, streams: Map<Stream, ObjectType[]>, settings: TriggerSettings): ChangeSource {
	// One query serves every object type a stream feeds: ask for the union of their fields (all
	// fields when one of them wants all).
	const fields: Partial<Record<Stream, string[]>> = {};
	for (const [stream, feeds] of streams) {
		const lists = feeds.map((t) => settings.fields[t] ?? []);
		if (lists.every((l) => l.length > 0)) fields[stream] = [...new Set(lists.flat())];
	}
	const kinds = settings.activityTypes;
	// v5's `type` filter is not documented: read every activity, keep the chosen types as they are read.
	if (conn.apiVersion === '5') {
		return createV5Source(ctx, conn, fields, settings.transport, kinds.length ? { visitorActivities: (raw) => matchesActivityKinds(raw, kinds) } : {});
	}
	// v3/v4 select activity types on the server.
	const codes = activityTypeCodes(kinds);
	return createLegacySource(ctx, conn, fields, settings.transport, codes ? { visitorActivities: { type: codes } } : {});
}

// Polls of one workflow can overlap (n8n does not prevent it); the second one yields.
const pollsInFlight = new Set<string>();
// After Pardot's daily limit (error 122), each poll first makes one small request to see whether it is over.
const dailyLimitReached = new Set<string>();

function workflowKey(ctx: IPollFunctions): string | undefined {
	const id = ctx.getWorkflow()?.id;
	return id === undefined || id === null || id === '' ? undefined : `${id}:${ctx.getNode().name}`;
}

export async function pollPardot(ctx: IPollFunctions, overrides: Partial<TriggerSettings> = {}): Promise<INodeExecutionData[][] | null> {
	const settings = { ...readSettings(ctx), ...overrides };
	const streams = streamsFor(settings);
	if (streams.size === 0 || settings.events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Select at least one resource and one event type');
	}
	const conn = await loadConnection(ctx, settings.authentication);
	checkResources(ctx, conn, streams);
	checkFields(ctx, conn, streams, settings);
	const source = createSource(ctx, conn, streams, settings);

	if (ctx.getMode() === 'manual') return await sampleEvents(ctx, source, streams, settings);

	const key = workflowKey(ctx) ?? '';
	if (pollsInFlight.has(key)) {
		ctx.logger.info('A previous Pardot poll of this workflow is still running; skipping this one');
		return null;
	}
	pollsInFlight.add(key);
	try {
		if (dailyLimitReached.has(key)) {
			// One request tells whether Pardot accepts calls again; while it does not, nothing else is sent.
			await source.serverTime([...streams.keys()][0]);
			dailyLimitReached.delete(key);
		}
		return await pollStreams(ctx, source, streams, settings);
	} catch (error) {
		if (pardotErrorCode(error) === PARDOT_ERROR.dailyLimit) dailyLimitReached.add(key);
		throw asNodeError(ctx, error);
	} finally {
		pollsInFlight.delete(key);
	}
}

async function pollStreams(
	ctx: IPollFunctions,
	source: ChangeSource,
	streams: Map<Stream, ObjectType[]>,
	settings: TriggerSettings,
): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node') as StaticState;
	let stored: Partial<Record<Stream, StreamCursor>>;
	try {
		stored = readState(staticData);
	} catch (error) {
		if (!(error instanceof StateError)) throw asNodeError(ctx, error);
		throw new NodeOperationError(ctx.getNode(), 'The Pardot Trigger cannot read its saved position', {
			description: `The workflow's saved state ${error.message}. It may come from another version of n8n-nodes-pardot or have been edited. Nothing was read or emitted and the saved state is unchanged. Install the package version that wrote it, or start over: rename this trigger node (n8n keeps the position per node name) and, to catch up, set Start From to the last time events were processed.`,
		});
	}
	const next: Partial<Record<Stream, StreamCursor>> = { ...stored };
	const wanted = new Set(settings.events);
	const kinds: boolean[] = [];
	if (wanted.has('CREATED') || wanted.has('UPDATED')) kinds.push(false);
	if (wanted.has('DELETED')) kinds.push(true);

	const deadline = pollDeadline(ctx);
	const reading = [...streams].map(async ([stream, feeds]) => {
		let cursor = stored[stream];
		if (!cursor) {
			if (settings.startFrom === undefined) {
				// Activation: start from Pardot's own clock (its Date header, whole seconds), emit nothing. A
				// couple of seconds back: the header comes from a front end whose clock may run a little
				// ahead of the one that stamps records, and a change made just after activation must not be
				// dated before the start. (A change of those seconds before activation may be emitted.)
				const now = secondOf((await source.serverTime(stream)) ?? hostClockFallback(ctx)) - ACTIVATION_SLACK_MS;
				return { stream, feeds, activated: { position: { at: now }, start: now, emitted: {} } as StreamCursor };
			}
			const start = secondOf(settings.startFrom);
			cursor = { position: { at: start }, start, emitted: {} };
		}
		// v3/v4 do not document `deleted` for opportunities: their bin scan is checked against the live
		// records (read for that even with Deleted alone), and checked again once the position is a day
		// past where it was found ignored (Pardot's clock, not the host's). A stream whose bin cannot be listed reads none; one that has no bin, or records that
		// only get created, read live records only.
		const bin = source.recycleBin(stream);
		const binOff = cursor.noRecycleBin !== undefined && cursor.position.at - cursor.noRecycleBin < RECYCLE_BIN_RECHECK_MS;
		const live: boolean[] = [false];
		const streamKinds =
			binOff || bin === 'none' || OBJECTS[stream].changeTime === 'created'
				? live
				: (bin === 'unproven' || cursor.noRecycleBin !== undefined) && kinds.includes(true)
					? [false, true]
					: kinds;
		const read = await readStream(
			source,
			{ stream, cursor, kinds: streamKinds, need: settings.maxEventsPerPoll, creations: wanted.has('CREATED'), deadline },
			() => hostClockFallback(ctx),
		);
		const labels = feeds.map((t) => LABEL[t]).join(' and ');
		if (read.deletedUnsupported) {
			if (cursor.noRecycleBin === undefined) {
				ctx.logger.warn(
					`Pardot does not list the recycle bin of ${stream} through this API version (the query ignores or refuses "deleted"): the trigger reports no DELETED events for ${labels}, and checks again in a day. API v5 lists it.`,
				);
			}
			cursor = { ...cursor, noRecycleBin: cursor.position.at };
		} else if (cursor.noRecycleBin !== undefined && !binOff && streamKinds.includes(true)) {
			ctx.logger.info(`Pardot now lists the recycle bin of ${stream}: the trigger reports DELETED events for ${labels} again.`);
			cursor = { ...cursor, noRecycleBin: undefined };
		}
		return { stream, feeds, cursor, read };
	});
	const settledReads = await Promise.allSettled(reading);

	const failures: Array<{ stream: Stream; error: unknown }> = [];
	const inputs: Array<StreamInput<Stream> & { feeds: ObjectType[]; read: ReadResult; leads?: LeadsMemory }> = [];
	settledReads.forEach((outcome, i) => {
		const stream = [...streams.keys()][i];
		if (outcome.status === 'rejected') {
			failures.push({ stream, error: outcome.reason });
			return;
		}
		const value = outcome.value;
		if ('activated' in value && value.activated) {
			next[stream] = value.activated;
			return;
		}
		const { cursor, read, feeds } = value as { cursor: StreamCursor; read: ReadResult; feeds: ObjectType[] };
		if (source.localTimes) assertNotFromTheFuture(ctx, read.records, read.clock);
		const leads = stream === 'prospects' && feeds.includes('leads') ? { open: new Set(cursor.leads ?? []), start: cursor.start } : undefined;
		inputs.push({
			stream,
			cursor,
			records: read.records,
			frontier: read.frontier,
			windowed: read.windowed,
			creations: wanted.has('CREATED'),
			eventsOf: (record, type) => eventTypesOf(record, type, stream, feeds, leads, wanted, settings.activityTypes).length,
			feeds,
			read,
			leads,
		});
	});
	// The daily limit is shared by every stream: nothing more to do today.
	const limited = failures.find((f) => pardotErrorCode(f.error) === PARDOT_ERROR.dailyLimit);
	if (limited) throw asNodeError(ctx, limited.error);
	// A stream that failed for a passing reason (network, outage, too many requests) is read again at
	// the next poll: the others wait for it, so that events stay oldest first across resources.
	const passing = failures.find((f) => isPassingFailure(f.error));
	if (passing) throw streamError(ctx, passing, streams);
	if (failures.length && !inputs.length) throw streamError(ctx, failures[0], streams);

	const pollDate = Math.min(...inputs.map((i) => i.read.clock ?? Date.now()), Date.now());
	const events: Array<{ event: PardotEvent; order: number }> = [];
	for (const plan of planPoll(inputs, settings.maxEventsPerPoll)) {
		const input = inputs.find((i) => i.stream === plan.stream)!;
		for (const planned of plan.events) {
			for (const [objectType, type] of eventTypesOf(planned.record, planned.type, plan.stream, input.feeds, input.leads, wanted, settings.activityTypes)) {
				const date = type === planned.type ? planned.date : planned.record.updatedAt;
				events.push({ event: toEvent(planned.record, objectType, type, pollDate, settings.fields[objectType] ?? [], date), order: events.length });
				if (objectType === 'leads' && input.leads) rememberLead(planned.record, type, input.leads);
			}
		}
		next[plan.stream] = input.leads ? { ...plan.next, leads: [...input.leads.open] } : plan.next;
		ctx.logger.debug(
			`Pardot ${plan.stream}: read ${input.records.length} records, emitted ${plan.events.length} changes${plan.cut ? ' (limit reached, more next poll)' : ''}${input.read.capped ? ' (stopped after leaving out many records of types not chosen; more next poll)' : ''}; position ${instantToIso(plan.next.position.at)}${plan.next.position.id ? ` id ${plan.next.position.id}` : ''}`,
		);
	}
	if (failures.length && events.length === 0) throw streamError(ctx, failures[0], streams);
	for (const failure of failures) {
		const error = streamError(ctx, failure, streams);
		ctx.logger.error(`${error.message}: ${error.description ?? ''}`);
	}

	// Written only now that the poll succeeded; n8n persists it with the emitted items.
	Object.assign(staticData, writeState(next));
	if (events.length === 0) return null;
	events.sort((a, b) => (a.event.date < b.event.date ? -1 : a.event.date > b.event.date ? 1 : a.order - b.order));
	return [events.map(({ event }) => ({ json: event }))];
}

/**
 * The events one change gives, one per object type it feeds: a prospect is a contact, and with
 * Leads Are = Salesforce Leads also a lead while it is one (leads.ts); a visitor activity only when
 * it is of a chosen kind (activities.ts).
 */
function eventTypesOf(
	record: ChangeRecord,
	type: EventType,
	stream: Stream,
	feeds: ObjectType[],
	leads: LeadsMemory | undefined,
	wanted: Set<EventType>,
	activityTypes: string[],
): Array<[ObjectType, EventType]> {
	const out: Array<[ObjectType, EventType]> = [];
	if (stream === 'visitorActivities' && !matchesActivityKinds(record.raw, activityTypes)) return out;
	for (const objectType of feeds) {
		const eventType = objectType === 'leads' && stream === 'prospects' && leads ? leadEventType(record, type, leads) : type;
		if (eventType && wanted.has(eventType)) out.push([objectType, eventType]);
	}
	return out;
}

function streamError(ctx: IPollFunctions, failure: { stream: Stream; error: unknown }, streams: Map<Stream, ObjectType[]>): NodeApiError | NodeOperationError {
	const error = asNodeError(ctx, failure.error);
	if (streams.size > 1) {
		const labels = (streams.get(failure.stream) ?? []).map((t) => LABEL[t]).join(' and ');
		error.description = `${error.description ?? ''} (This happened while reading ${labels}; the other resources are polled as usual.)`.trim();
	}
	return error;
}

/**
 * A failure the next poll will most likely not meet: no answer, an outage page, a server error, or
 * Pardot's "too many concurrent requests" (66). Pardot's other error codes are about the request
 * itself (a field, an object the user may not read), and the trigger's own refusals are about the
 * resource's data: they stay until someone changes the workflow or the data.
 */
function isPassingFailure(error: unknown): boolean {
	// A record the trigger cannot place, pages that do not move on, a read over its request budget: the data of
	// one resource, which the next poll meets again.
	if (isOwnFailure(error)) return false;
	const code = pardotErrorCode(error);
	return code === undefined || code === PARDOT_ERROR.tooManyRequests;
}

function hostClockFallback(ctx: IPollFunctions): number {
	ctx.logger.warn('Pardot sent no Date header; using the n8n host clock for the trigger cursor');
	return Date.now();
}

async function sampleEvents(
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

function asNodeError(ctx: IPollFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error);
}

/**
 * n8n 2.38+ gives pollers a time budget (getPollBudgetMs); older hosts do not. Reading switches to
 * a narrower window at 80% of it, so the poll can finish inside the budget.
 */
function pollDeadline(ctx: IPollFunctions): number | undefined {
	const host = ctx as unknown as { getPollBudgetMs?: () => unknown };
	if (typeof host.getPollBudgetMs !== 'function') return undefined;
	const budget = Number(host.getPollBudgetMs());
	return Number.isFinite(budget) && budget > 0 ? Date.now() + budget * POLL_BUDGET_SHARE : undefined;
}

/**
 * A v3/v4 change dated after Pardot's own clock by more than a few minutes, and by no more than two
 * time zones can differ, means local times are being read in the wrong time zone: say so rather than
 * emit wrong dates (the cursor is not moved). A record dated further ahead is not a time zone matter:
 * it is left for its time like any change not yet settled. (v5 dates carry their offset.)
 */
function assertNotFromTheFuture(ctx: IPollFunctions, records: ChangeRecord[], clock: number | undefined): void {
	if (clock === undefined) return;
	const future = records.find((r) => r.updatedAtMin > clock + FUTURE_TOLERANCE_MS && r.updatedAtMin <= clock + MAX_ZONE_DIFFERENCE_MS + FUTURE_TOLERANCE_MS);
	if (!future) return;
	throw new NodeOperationError(ctx.getNode(), 'Pardot dates do not match the credential\'s Time Zone', {
		description: `Record ${future.id} reads as changed at ${instantToIso(future.updatedAtMin)}, after Pardot's own clock (${instantToIso(clock)}). Set the credential's Time Zone to the Pardot API user's time zone (Pardot: the user's settings). Nothing was emitted and the trigger's position is unchanged.`,
	});
}

const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** UTC-12 to UTC+14: the most two time zones can differ. */
const MAX_ZONE_DIFFERENCE_MS = 26 * 3_600_000;
