import type { INodeExecutionData, IPollFunctions, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../common/errors';
import type { EventType } from '../common/event';
import type { StreamCursor } from './cursor';
import type { EventParts, ObjectType, PardotEvent, StreamEvents } from './events';
import { eventTypesOf, labelOf, toEvent } from './events';
import { guardedPoll } from './guards';
import { rememberLead } from './leads';
import type { ChangeRecord, RecordScope, Stream } from './model';
import type { StreamInput, StreamPlan } from './plan';
import { planPoll } from './plan';
import type { ReadResult } from './read';
import { sampleEvents } from './sample';
import type { TriggerSettings } from './settings';
import { preparePoll } from './settings';
import type { StaticState } from './state';
import { readState, StateError, writeState } from './state';
import type { StreamOutcome } from './stream';
import { readOneStream } from './stream';
import { instantToIso } from './time';
import { PARDOT_ERROR } from '../shared/transport/errors';
import { isOwnFailure, isServerFailure, pardotErrorCode } from '../shared/transport/failures';
import type { ChangeSource } from './transport/source';

/**
 * One poll: the settings and the source (settings.ts), then, unless it is a manual run (sample.ts),
 * inside the overlap and daily-limit guards (guards.ts): read every stream (stream.ts, read.ts), plan what to
 * emit (plan.ts), derive the events (events.ts), save the new positions (state.ts).
 */

/** Reading narrows to a window once this share of n8n's poll budget is spent. */
const POLL_BUDGET_SHARE = 0.8;
const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** UTC-12 to UTC+14: the most two time zones can differ. */
const MAX_ZONE_DIFFERENCE_MS = 26 * 3_600_000;

export async function pollPardot(ctx: IPollFunctions, overrides: Partial<TriggerSettings> = {}): Promise<INodeExecutionData[][] | null> {
	const { settings, streams, source, parts } = await preparePoll(ctx, overrides);
	if (ctx.getMode() === 'manual') return await sampleEvents(ctx, source, streams, settings);
	const [first] = streams.keys();
	return await guardedPoll(
		ctx,
		async () => await source.serverTime(first),
		async () => await pollStreams(ctx, source, streams, settings, parts),
	);
}

type StreamFailure = Extract<StreamOutcome, { kind: 'failed' }>;

/** A stream's input to the plan, with what its events need. */
interface PlanInput extends StreamInput<Stream> {
	read: ReadResult;
	events: StreamEvents;
}

async function pollStreams(
	ctx: IPollFunctions,
	source: ChangeSource,
	streams: Map<Stream, ObjectType[]>,
	settings: TriggerSettings,
	parts: EventParts,
): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node') as StaticState;
	const stored = savedCursors(ctx, staticData);
	const next: Partial<Record<Stream, StreamCursor>> = { ...stored };
	const wanted = new Set(settings.events);
	const scopes: RecordScope[] = [];
	if (wanted.has('CREATED') || wanted.has('UPDATED')) scopes.push('live');
	if (wanted.has('DELETED')) scopes.push('bin');
	const deadline = pollDeadline(ctx);

	const outcomes = await Promise.all(
		[...streams].map(async ([stream, feeds]) => await readOneStream(ctx, source, { stream, feeds, cursor: stored[stream], scopes, settings, deadline })),
	);

	const failures: StreamFailure[] = [];
	const inputs: PlanInput[] = [];
	for (const outcome of outcomes) {
		if (outcome.kind === 'failed') failures.push(outcome);
		else if (outcome.kind === 'activated') next[outcome.stream] = outcome.cursor;
		else {
			if (source.localTimes) assertNotFromTheFuture(ctx, outcome.read.records, outcome.read.clock);
			inputs.push(planInput(outcome, wanted, settings));
		}
	}
	// The daily limit is shared by every stream: nothing more to do today.
	const limited = failures.find((f) => pardotErrorCode(f.error) === PARDOT_ERROR.dailyLimit);
	if (limited) throw asNodeError(ctx.getNode(), limited.error);
	// A stream that failed for a passing reason (network, outage, too many requests) is read again at
	// the next poll: the others wait for it, so that events stay oldest first across resources.
	const passing = failures.find((f) => isPassingFailure(f.error));
	if (passing) throw streamError(ctx, passing, streams);
	if (failures.length && !inputs.length) throw streamError(ctx, failures[0], streams);

	const pollDate = Math.min(...inputs.map((i) => i.read.clock ?? Date.now()), Date.now());
	const events: PardotEvent[] = [];
	for (const plan of planPoll(inputs, settings.maxEventsPerPoll, settings.transport?.memoryLimit)) {
		events.push(...eventsOfPlan(plan, pollDate, settings, parts));
		const { leads } = plan.input.events;
		next[plan.stream] = leads ? { ...plan.next, leads: [...leads.open] } : plan.next;
		logPlan(ctx, plan);
	}
	if (failures.length && events.length === 0) throw streamError(ctx, failures[0], streams);
	for (const failure of failures) {
		const error = streamError(ctx, failure, streams);
		ctx.logger.error(`${error.message}: ${error.description ?? ''}`);
	}

	// Written only now that the poll succeeded; n8n persists it with the emitted items.
	Object.assign(staticData, writeState(next));
	if (events.length === 0) return null;
	// Oldest first; events of one instant keep the plan's order (the sort is stable).
	events.sort(byDate);
	return [events.map((event) => ({ json: event }))];
}

function savedCursors(ctx: IPollFunctions, staticData: StaticState): Partial<Record<Stream, StreamCursor>> {
	try {
		return readState(staticData);
	} catch (error) {
		if (!(error instanceof StateError)) throw asNodeError(ctx.getNode(), error);
		throw new NodeOperationError(ctx.getNode(), 'The Pardot Trigger cannot read its saved position', {
			description: `The workflow's saved state ${error.message}. It may come from another version of n8n-nodes-pardot or have been edited. Nothing was read or emitted and the saved state is unchanged. Install the package version that wrote it, or start over: rename this trigger node (n8n keeps the position per node name) and, to catch up, set Start From to the last time events were processed.`,
		});
	}
}

function planInput(outcome: Extract<StreamOutcome, { kind: 'read' }>, wanted: Set<EventType>, settings: TriggerSettings): PlanInput {
	const { stream, feeds, cursor, read } = outcome;
	const leads = stream === 'prospects' && feeds.includes('leads') ? { open: new Set(cursor.leads ?? []), start: cursor.start } : undefined;
	const events: StreamEvents = { stream, feeds, leads, wanted, activityTypes: settings.activityTypes };
	return {
		stream,
		cursor,
		records: read.records,
		frontier: read.frontier,
		settled: read.settled,
		windowed: read.windowed,
		burstAt: read.burstAt,
		creations: wanted.has('CREATED'),
		eventsOf: (record, type) => eventTypesOf(record, type, events).length,
		read,
		events,
	};
}

/**
 * The events of one stream's plan: each planned change gives one event per object type it feeds (an
 * event of another type than planned, a lead's, is dated at the record's latest update); Salesforce
 * leads reported are remembered.
 */
function eventsOfPlan(plan: StreamPlan<PlanInput>, pollDate: number, settings: TriggerSettings, parts: EventParts): PardotEvent[] {
	const out: PardotEvent[] = [];
	const { leads } = plan.input.events;
	for (const planned of plan.events) {
		for (const [objectType, type] of eventTypesOf(planned.record, planned.type, plan.input.events)) {
			const date = type === planned.type ? planned.date : planned.record.updatedAt;
			out.push(toEvent(planned.record, objectType, type, pollDate, settings.fields[objectType] ?? [], date, parts));
			if (objectType === 'leads' && leads) rememberLead(planned.record, type, leads);
		}
	}
	return out;
}

function logPlan(ctx: IPollFunctions, plan: StreamPlan<PlanInput>): void {
	const { read } = plan.input;
	const { position } = plan.next;
	ctx.logger.debug(
		`Pardot ${plan.stream}: read ${read.records.length} records, emitted ${plan.events.length} changes${plan.cut ? ' (limit reached, more next poll)' : ''}${read.capped ? ' (stopped after leaving out many records of types not chosen; more next poll)' : ''}; position ${instantToIso(position.at)}${position.id ? ` id ${position.id}` : ''}`,
	);
}

function byDate(a: PardotEvent, b: PardotEvent): number {
	if (a.date === b.date) return 0;
	return a.date < b.date ? -1 : 1;
}

function streamError(ctx: IPollFunctions, failure: StreamFailure, streams: Map<Stream, ObjectType[]>): NodeApiError | NodeOperationError {
	const error = asNodeError(ctx.getNode(), failure.error);
	if (streams.size > 1) {
		error.description = `${error.description ?? ''} (This happened while reading ${labelOf(streams.get(failure.stream) ?? [])}; the other resources are polled as usual.)`.trim();
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
	// HTTP 5xx with a Pardot error code no entry of the table knows: an outage like any 5xx.
	if (isServerFailure(error)) return true;
	const code = pardotErrorCode(error);
	return code === undefined || code === PARDOT_ERROR.tooManyRequests;
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
