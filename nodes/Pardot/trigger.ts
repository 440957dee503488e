import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { EventType } from './classify';
import { classify, classifySample } from './classify';
import type { StreamCursor } from './cursor';
import { deserializeCursor, plan, serializeCursor } from './cursor';
import type { ObjectType, PardotEvent } from './events';
import { toEvent } from './events';
import { nextLocalMidnight, instantToIso } from './time';
import type { Authentication, PardotConnection, TransportOptions } from './transport';
import { loadConnection, pardotErrorCode } from './transport';
import { createLegacySource } from './transport/legacy';
import type { ChangeRecord, ChangeSource, Stream } from './transport/source';
import { isSalesforceLead } from './transport/source';
import { createV5Source } from './transport/v5';

/** The trigger's settings, read once per poll from the node parameters. */
export interface TriggerSettings {
	authentication: Authentication;
	resources: ObjectType[];
	events: EventType[];
	leadsAre: 'opportunities' | 'salesforceLeads';
	startFrom?: number;
	maxEventsPerPoll: number;
	fields: string[];
	transport?: TransportOptions;
}

interface StaticState {
	cursors?: Partial<Record<Stream, unknown>>;
}

export function readSettings(ctx: IPollFunctions): TriggerSettings {
	const options = (ctx.getNodeParameter('options', {}) as IDataObject) ?? {};
	const startFromRaw = options.startFrom ? String(options.startFrom) : '';
	const startFrom = startFromRaw ? Date.parse(startFromRaw) : undefined;
	if (startFromRaw && !Number.isFinite(startFrom)) {
		throw new NodeOperationError(ctx.getNode(), `"Start From" is not a valid date: ${startFromRaw}`);
	}
	const maxEventsPerPoll = Number(options.maxEventsPerPoll ?? 1000);
	return {
		authentication: ctx.getNodeParameter('authentication', 'oAuth2') as Authentication,
		resources: ctx.getNodeParameter('resources', ['contacts', 'leads']) as ObjectType[],
		events: ctx.getNodeParameter('events', ['CREATED', 'UPDATED']) as EventType[],
		leadsAre: (options.leadsAre as TriggerSettings['leadsAre']) ?? 'opportunities',
		startFrom,
		maxEventsPerPoll: Number.isFinite(maxEventsPerPoll) && maxEventsPerPoll >= 1 ? Math.floor(maxEventsPerPoll) : 1000,
		fields: String(options.fields ?? '')
			.split(',')
			.map((f) => f.trim())
			.filter(Boolean),
	};
}

/** Which Pardot streams serve the selected resources, and which object types each one feeds. */
export function streamsFor(settings: TriggerSettings): Map<Stream, ObjectType[]> {
	const streams = new Map<Stream, ObjectType[]>();
	const add = (stream: Stream, objectType: ObjectType) => streams.set(stream, [...(streams.get(stream) ?? []), objectType]);
	if (settings.resources.includes('contacts')) add('prospects', 'contacts');
	if (settings.resources.includes('leads')) add(settings.leadsAre === 'salesforceLeads' ? 'prospects' : 'opportunities', 'leads');
	return streams;
}

function objectTypesOf(change: ChangeRecord, stream: Stream, feeds: ObjectType[]): ObjectType[] {
	if (stream === 'opportunities') return feeds;
	return feeds.filter((t) => t === 'contacts' || isSalesforceLead(change.raw));
}

export function createSource(ctx: IPollFunctions, conn: PardotConnection, settings: TriggerSettings): ChangeSource {
	if (conn.apiVersion === '5') {
		const fields = settings.fields.length ? { prospects: settings.fields, opportunities: settings.fields } : {};
		return createV5Source(ctx, conn, fields, settings.transport);
	}
	return createLegacySource(ctx, conn, settings.transport);
}

// Polls of one workflow can overlap (n8n does not prevent it); the second one yields.
const pollsInFlight = new Set<string>();
// After Pardot's daily limit (error 122) no call is made until the limit resets.
const pausedUntil = new Map<string, number>();

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
	const source = createSource(ctx, conn, settings);

	if (ctx.getMode() === 'manual') return await sampleEvents(ctx, source, streams, settings);

	const key = workflowKey(ctx);
	if (key && (pausedUntil.get(key) ?? 0) > Date.now()) {
		ctx.logger.warn(`Pardot daily API limit reached; polling resumes after ${instantToIso(pausedUntil.get(key)!)}`);
		return null;
	}
	if (key && pollsInFlight.has(key)) {
		ctx.logger.info('A previous Pardot poll of this workflow is still running; skipping this one');
		return null;
	}
	if (key) pollsInFlight.add(key);
	try {
		return await pollStreams(ctx, source, streams, settings);
	} catch (error) {
		if (key && pardotErrorCode(error) === 122) pausedUntil.set(key, nextLocalMidnight(Date.now(), conn.timezone));
		throw asNodeError(ctx, error);
	} finally {
		if (key) pollsInFlight.delete(key);
	}
}

async function pollStreams(
	ctx: IPollFunctions,
	source: ChangeSource,
	streams: Map<Stream, ObjectType[]>,
	settings: TriggerSettings,
): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node') as StaticState;
	const stored = staticData.cursors ?? {};
	const nextCursors: Partial<Record<Stream, unknown>> = { ...stored };
	const results = await Promise.all(
		[...streams].map(async ([stream, feeds]) => {
			const cursor = deserializeCursor(stored[stream]);
			if (!cursor && settings.startFrom === undefined) {
				// Activation: start from Pardot's own clock, emit nothing.
				const now = (await source.serverTime(stream)) ?? hostClockFallback(ctx);
				return { stream, events: [] as PardotEvent[], next: { after: Math.floor(now / 1000) * 1000, emitted: {} } };
			}
			const start = cursor ?? { after: settings.startFrom!, emitted: {} };
			const { events, next } = await pollStream(ctx, source, stream, feeds, start, settings);
			return { stream, events, next };
		}),
	);
	const events: PardotEvent[] = [];
	for (const result of results) {
		events.push(...result.events);
		nextCursors[result.stream] = serializeCursor(result.next);
	}
	// Written only now that every stream succeeded; n8n persists it with the emitted items.
	staticData.cursors = nextCursors;
	if (events.length === 0) return null;
	events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
	return [events.map((event) => ({ json: event }))];
}

function hostClockFallback(ctx: IPollFunctions): number {
	ctx.logger.warn('Pardot sent no Date header; using the n8n host clock for the trigger cursor');
	return Date.now();
}

export async function pollStream(
	ctx: IPollFunctions,
	source: ChangeSource,
	stream: Stream,
	feeds: ObjectType[],
	cursor: StreamCursor,
	settings: TriggerSettings,
): Promise<{ events: PardotEvent[]; next: StreamCursor }> {
	const wanted = new Set(settings.events);
	const scans: boolean[] = [];
	if (wanted.has('CREATED') || wanted.has('UPDATED')) scans.push(false);
	if (wanted.has('DELETED')) scans.push(true);
	const limit = settings.maxEventsPerPoll;

	const deadline = pollDeadline(ctx);

	const readAll = async (before: number | undefined, mayNarrow: boolean) => {
		const records: ChangeRecord[] = [];
		let clock: number | undefined;
		let tooMany = false;
		let outOfTime = false;
		for (const deleted of scans) {
			let first = true;
			for await (const page of source.scan({ stream, deleted, after: cursor.after, before })) {
				if (first && page.serverTime !== undefined) clock = Math.min(clock ?? Infinity, page.serverTime);
				first = false;
				records.push(...page.records);
				if (!mayNarrow || !page.more || !source.canBound(stream)) continue;
				// More changes than one poll may emit, or no time left to read them all: read only
				// the window holding the oldest ones instead.
				const matched = page.total ?? records.length + 1;
				outOfTime = deadline !== undefined && Date.now() > deadline;
				if (matched > limit || outOfTime) {
					tooMany = true;
					break;
				}
			}
			if (tooMany) break;
		}
		return { records, clock, tooMany, outOfTime };
	};

	// After a poll that stopped at the limit, more changes are waiting: go straight to the window.
	const backlog = cursor.backlog === true && source.canBound(stream);
	let read = backlog ? { records: [], clock: undefined, tooMany: true, outOfTime: false } : await readAll(undefined, true);
	let windowEnd: number | undefined;
	if (read.tooMany) {
		// Out of time: aim for half of what fitted in the budget so far.
		const k = read.outOfTime ? Math.max(1, Math.min(limit, Math.floor(read.records.length / 2))) : limit;
		const window = await source.boundary({ stream, deleted: scans[0], after: cursor.after }, k);
		const clock = Math.min(read.clock ?? Infinity, window.serverTime ?? Infinity);
		const progress = window.at === undefined || window.at > cursor.after;
		if (window.records && scans.length === 1 && progress) {
			read = { records: window.records, clock, tooMany: false, outOfTime: false };
			windowEnd = window.at;
		} else if (window.at !== undefined && window.at > cursor.after) {
			windowEnd = window.at;
			read = await readAll(window.at, false);
		} else {
			read = await readAll(undefined, false);
		}
		read.clock = Math.min(read.clock ?? Infinity, clock);
	}
	const clock = Number.isFinite(read.clock) ? (read.clock as number) : hostClockFallback(ctx);
	assertNotFromTheFuture(ctx, read.records, clock);
	const completeTo = Math.min(clock - source.settleMs, windowEnd ?? Infinity);

	const eventTypeOf = (change: ChangeRecord) => classify(change, cursor);
	const eventsOf = (change: ChangeRecord) =>
		wanted.has(eventTypeOf(change)) ? objectTypesOf(change, stream, feeds).length : 0;
	const result = plan(read.records, cursor, eventsOf, limit, completeTo);
	const events: PardotEvent[] = [];
	for (const change of result.processed) {
		const type = eventTypeOf(change);
		if (!wanted.has(type)) continue;
		for (const objectType of objectTypesOf(change, stream, feeds)) {
			events.push(toEvent(change, objectType, type, clock, settings.fields));
		}
	}
	// A window that ended before the settle point leaves changes waiting for the next poll.
	const next = windowEnd !== undefined && windowEnd < clock - source.settleMs ? { ...result.next, backlog: true } : result.next;
	ctx.logger.debug(
		`Pardot ${stream}: read ${read.records.length} records, emitted ${events.length} events${result.cut ? ' (limit reached, more next poll)' : ''}; position ${instantToIso(next.after)}`,
	);
	return { events, next };
}

async function sampleEvents(
	ctx: IPollFunctions,
	source: ChangeSource,
	streams: Map<Stream, ObjectType[]>,
	settings: TriggerSettings,
): Promise<INodeExecutionData[][]> {
	const events: PardotEvent[] = [];
	for (const [stream, feeds] of streams) {
		const change = await source.latest(stream);
		if (!change) continue;
		const types = objectTypesOf(change, stream, feeds);
		for (const objectType of types.length ? types : feeds.slice(0, 1)) {
			events.push(toEvent(change, objectType, classifySample(change), Date.now(), settings.fields));
		}
	}
	if (events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Pardot has no records of the selected resources yet', {
			description: 'Create a prospect (or opportunity) in Pardot, then fetch a test event again.',
		});
	}
	return [events.map((event) => ({ json: event }))];
}

function asNodeError(ctx: IPollFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error);
}

/**
 * n8n 2.38+ gives pollers a time budget (getPollBudgetMs); older hosts do not. Reading stops
 * switches to a narrower window at 80% of it, so the poll can finish inside the budget.
 */
function pollDeadline(ctx: IPollFunctions): number | undefined {
	const host = ctx as unknown as { getPollBudgetMs?: () => unknown };
	if (typeof host.getPollBudgetMs !== 'function') return undefined;
	const budget = Number(host.getPollBudgetMs());
	return Number.isFinite(budget) && budget > 0 ? Date.now() + budget * 0.8 : undefined;
}

/**
 * A change dated after Pardot's own clock means v3/v4 local times are being read in the wrong
 * time zone: say so rather than emit wrong dates (the cursor is not moved).
 */
function assertNotFromTheFuture(ctx: IPollFunctions, records: ChangeRecord[], clock: number): void {
	const future = records.find((r) => r.updatedAtMin > clock + FUTURE_TOLERANCE_MS);
	if (!future) return;
	throw new NodeOperationError(ctx.getNode(), 'Pardot dates do not match the credential\'s Time Zone', {
		description: `Record ${future.id} reads as changed at ${instantToIso(future.updatedAtMin)}, after Pardot's own clock (${instantToIso(clock)}). Set the credential's Time Zone to the Pardot API user's time zone (Pardot: the user's settings). Nothing was emitted and the trigger's position is unchanged.`,
	});
}

const FUTURE_TOLERANCE_MS = 5 * 60_000;
