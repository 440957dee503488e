import type { IPollFunctions } from 'n8n-workflow';

import type { StreamCursor } from './cursor';
import type { ObjectType } from './events';
import { labelOf } from './events';
import type { RecordScope, Stream } from './model';
import { secondOf } from './model';
import type { ReadResult } from './read';
import { readStream } from './read';
import type { TriggerSettings } from './settings';
import { OBJECTS } from './transport/objects';
import type { ChangeSource } from './transport/source';

/**
 * One stream's part of a poll, before the plan: a first poll starts the stream (activation, or Start
 * From), a later one reads it (read.ts), and the cursor keeps whether Pardot lists its recycle bin.
 */

/** How far before Pardot's Date header an activated trigger starts (clock skew between Pardot's servers). */
const ACTIVATION_SLACK_MS = 2_000;
/** How long the trigger trusts its proof that Pardot does not list a recycle bin, before it checks again. */
const RECYCLE_BIN_RECHECK_MS = 24 * 60 * 60_000;

/** What became of one stream's read. */
export type StreamOutcome =
	/** No saved position and no Start From: the stream starts now, nothing is read. */
	| { kind: 'activated'; stream: Stream; cursor: StreamCursor }
	| { kind: 'read'; stream: Stream; feeds: ObjectType[]; cursor: StreamCursor; read: ReadResult }
	| { kind: 'failed'; stream: Stream; error: unknown };

export interface StreamRequest {
	stream: Stream;
	feeds: ObjectType[];
	/** The saved cursor; undefined before the stream's first poll. */
	cursor: StreamCursor | undefined;
	/** The scopes the selected Events call for. */
	scopes: RecordScope[];
	settings: TriggerSettings;
	deadline: number | undefined;
}

/**
 * One stream's part of the poll: a first poll starts it (activation, or Start From), a later one reads
 * it (read.ts), and keeps track of whether Pardot lists the stream's recycle bin. Never rejects: a
 * failure is an outcome, for the poll to weigh against the other streams'.
 */
export async function readOneStream(ctx: IPollFunctions, source: ChangeSource, request: StreamRequest): Promise<StreamOutcome> {
	try {
		return await startOrRead(ctx, source, request);
	} catch (error) {
		return { kind: 'failed', stream: request.stream, error };
	}
}

async function startOrRead(ctx: IPollFunctions, source: ChangeSource, request: StreamRequest): Promise<StreamOutcome> {
	const { stream, feeds, settings } = request;
	let cursor = request.cursor;
	if (!cursor) {
		if (settings.startFrom === undefined) {
			// Activation: start from Pardot's own clock (its Date header, whole seconds), emit nothing. A
			// couple of seconds back: the header comes from a front end whose clock may run a little
			// ahead of the one that stamps records, and a change made just after activation must not be
			// dated before the start. (A change of those seconds before activation may be emitted.)
			const now = secondOf((await source.serverTime(stream)) ?? hostClockFallback(ctx)) - ACTIVATION_SLACK_MS;
			return { kind: 'activated', stream, cursor: { position: { at: now }, start: now, emitted: {} } };
		}
		const start = secondOf(settings.startFrom);
		cursor = { position: { at: start }, start, emitted: {} };
	}
	// v3/v4 do not document `deleted` for opportunities: their bin scan is checked against the live
	// records (read for that even with Deleted alone), and checked again once the position is a day
	// past where it was found ignored (Pardot's clock, not the host's).
	const binOff = cursor.noRecycleBin !== undefined && cursor.position.at - cursor.noRecycleBin < RECYCLE_BIN_RECHECK_MS;
	const scopes = scopesOf(source, stream, cursor, binOff, request.scopes);
	const read = await readStream(
		source,
		{ stream, cursor, scopes, need: settings.maxEventsPerPoll, creations: settings.events.includes('CREATED'), deadline: request.deadline },
		() => hostClockFallback(ctx),
	);
	if (read.deletedUnsupported) {
		if (cursor.noRecycleBin === undefined) {
			ctx.logger.warn(
				`Pardot does not list the recycle bin of ${stream} through this API version (the query ignores or refuses "deleted"): the trigger reports no DELETED events for ${labelOf(feeds)}, and checks again in a day. API v5 lists it.`,
			);
		}
		cursor = { ...cursor, noRecycleBin: cursor.position.at };
	} else if (cursor.noRecycleBin !== undefined && !binOff && scopes.includes('bin')) {
		ctx.logger.info(`Pardot now lists the recycle bin of ${stream}: the trigger reports DELETED events for ${labelOf(feeds)} again.`);
		cursor = { ...cursor, noRecycleBin: undefined };
	}
	return { kind: 'read', stream, feeds, cursor, read };
}

/**
 * What to read of a stream: live records only where the bin cannot be listed, is proven unlisted (until
 * the next check), or does not exist (records that only get created); live records and the bin where
 * the bin must be checked against the live records; else what the Events call for.
 */
function scopesOf(source: ChangeSource, stream: Stream, cursor: StreamCursor, binOff: boolean, wanted: RecordScope[]): RecordScope[] {
	const bin = source.recycleBin(stream);
	if (binOff || bin === 'none' || OBJECTS[stream].changeTime === 'created') return ['live'];
	if ((bin === 'unproven' || cursor.noRecycleBin !== undefined) && wanted.includes('bin')) return ['live', 'bin'];
	return wanted;
}

function hostClockFallback(ctx: IPollFunctions): number {
	ctx.logger.warn('Pardot sent no Date header; using the n8n host clock for the trigger cursor');
	return Date.now();
}

