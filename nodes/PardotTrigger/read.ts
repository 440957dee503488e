import type { StreamCursor } from './cursor';
import { comparePositions, earlierPosition, positionAtInstant } from './cursor';
import type { ChangeRecord, Position, RecordScope, Stream, StreamReadResult } from './model';
import { compareIds, SECOND_MS } from './model';
import type { ChangeSource, CreatedRequest } from './transport/source';
import { PARDOT_ERROR } from '../shared/transport/errors';
import { pardotErrorCode } from '../shared/transport/failures';

/**
 * Reads what one poll needs of one stream: every change after the cursor's position up to a
 * frontier, and no more than the poll can emit. The steps, in order:
 *
 * 1. finish the position's second, when a burst of changes sharing it was cut by the limit (by id);
 * 2. read everything after that: one scan by id when it fits the limit, else only the window of the
 *    oldest changes (and straight to the window when the last poll already stopped at the limit);
 * 3. when a window left records out, ask for those created inside it but changed later (live and,
 *    with Deleted selected, in the recycle bin), so their creation is not passed over (plan.ts).
 */

export interface ReadRequest {
	stream: Stream;
	cursor: StreamCursor;
	/** Which scans to run: live records and/or the recycle bin, or both in one query. */
	scopes: RecordScope[];
	/** How many changes this poll may emit. */
	need: number;
	/** Whether creations must be found (CREATED events wanted). */
	creations: boolean;
	/** Host time (ms) after which reading narrows to a window (n8n's poll budget). */
	deadline?: number;
}

export interface ReadResult extends StreamReadResult {
	/** The read stopped early after leaving out maxDroppedPerRead records (types not chosen). */
	capped?: boolean;
	/** Pardot's clock at the start of the reads (undefined when it sent no Date header). */
	clock?: number;
	/**
	 * The recycle-bin scan cannot be trusted for this stream: Pardot refused `deleted` (error 5), or
	 * answered it with live records (it ignored the filter). Its records were dropped.
	 */
	deletedUnsupported?: boolean;
}

interface Collected {
	records: ChangeRecord[];
	clock?: number;
	capped?: boolean;
	/** A second the read stopped inside, by id (a burst). */
	burstAt?: number;
}

function noteClock(into: Collected, serverTime: number | undefined): void {
	if (serverTime !== undefined) into.clock = Math.min(into.clock ?? Infinity, serverTime);
}

/**
 * Reads one second by id, after `afterId`, until `need` changes of that second were read (each
 * kind): returns the last id read where a scan was cut, so the frontier can stop inside the second.
 */
async function readSecond(source: ChangeSource, out: Collected, request: ReadRequest, second: number, afterId: string | undefined, need: number) {
	let stoppedAt: string | undefined;
	let count = 0;
	for (const scope of request.scopes) {
		let inSecond = 0;
		let last: string | undefined;
		let cut = false;
		const scan = source.scan({
			stream: request.stream,
			scope,
			from: second,
			before: second + SECOND_MS,
			afterId,
			pageSize: need,
			notBefore: request.cursor.position.at,
			// Records read (of any second) fewer than needed: the next page is wanted whatever it holds.
			readAhead: (read) => read < need,
		});
		for await (const page of scan) {
			noteClock(out, page.serverTime);
			out.records.push(...page.records);
			inSecond += page.records.filter((r) => r.updatedAt === second).length;
			if (page.records.length) last = page.records[page.records.length - 1].id;
			if (page.more && inSecond >= need) {
				cut = true;
				break;
			}
		}
		count += inSecond;
		// A cut scan covers ids up to its last one; with two scans, the smaller bound holds.
		if (cut && last !== undefined && (stoppedAt === undefined || compareIds(last, stoppedAt) < 0)) stoppedAt = last;
	}
	return { stoppedAt, count };
}

/** Step 2: one scan when the changes fit, else undefined (the caller reads a window). */
async function readAllIfFits(source: ChangeSource, out: Collected, request: ReadRequest, from: number, need: number) {
	const bounded = source.canBound(request.stream);
	let read = 0;
	let dropped = 0;
	const outOfTime = () => request.deadline !== undefined && Date.now() > request.deadline;
	for (const scope of request.scopes) {
		const before = read;
		// The next page is wanted when this scan goes on for sure: always where the read cannot be narrowed,
		// else by the test below, on what is known before the page is parsed.
		const readAhead = (n: number, total: number | undefined) =>
			!bounded || (!outOfTime() && (total !== undefined ? total <= need : before + n < need && before + n <= source.maxDroppedPerRead));
		for await (const page of source.scan({ stream: request.stream, scope, from, notBefore: request.cursor.position.at, readAhead })) {
			noteClock(out, page.serverTime);
			out.records.push(...page.records);
			read += page.records.length;
			dropped += page.dropped ?? 0;
			if (!bounded || !page.more) continue;
			const matched = page.total ?? read + 1;
			const late = outOfTime();
			// More changes than one poll may emit, or no time left to read them all (then a window of
			// half what was read, so this poll still ends in time), or too many records left out to
			// read them all in one poll (the window stops early too).
			if (matched > need || late || dropped > source.maxDroppedPerRead) {
				return { fits: false, k: late ? Math.max(1, Math.min(need, Math.floor(read / 2))) : need };
			}
		}
	}
	return { fits: true, k: need };
}

/**
 * Step 2, narrowed: the oldest `k` changes of each kind after (from, afterId); the frontier is where
 * the first kind stops.
 */
async function readWindow(source: ChangeSource, out: Collected, request: ReadRequest, from: number, k: number, afterId?: string) {
	let frontier: Position | undefined;
	for (const scope of request.scopes) {
		const end = await readScopeWindow(source, out, { ...request, scopes: [scope] }, from, k, afterId);
		if (end) frontier = frontier ? earlierPosition(frontier, end) : end;
	}
	return frontier;
}

/** One kind's window (request.scopes holds one scope): where it ends, undefined when it read every change. */
async function readScopeWindow(source: ChangeSource, out: Collected, request: ReadRequest, from: number, k: number, afterId?: string): Promise<Position | undefined> {
	const window = await source.window({ stream: request.stream, scope: request.scopes[0], from, afterId, notBefore: request.cursor.position.at }, k);
	noteClock(out, window.serverTime);
	out.records.push(...window.records);
	if (window.capped) out.capped = true;
	if (window.burstAt !== undefined) out.burstAt = window.burstAt;
	if (window.burst) {
		// More than k changes in the first second: that second, by id, k at a time.
		const second = await readSecond(source, out, request, from, afterId, k);
		if (second.stoppedAt !== undefined) out.burstAt = from;
		return second.stoppedAt !== undefined ? { at: from, id: second.stoppedAt } : { at: from + SECOND_MS };
	}
	const end = window.frontier;
	if (!end || end.id !== undefined) return end;
	// The window ended before a second that did not fit whole (v3/v4 windows end at seconds). When
	// that leaves it less than half full, the rest of the k changes come from that second, by id:
	// a poll emits at least half of Max Events Per Poll. (Always filling would cost two queries
	// more per poll, the fill and the rest of the second at the next poll: fewer polls, more calls.)
	const before = end.at;
	const inWindow = window.records.filter((r) => r.updatedAt < before).length;
	if (inWindow >= k / 2) return end;
	const second = await readSecond(source, out, request, before, before === from ? afterId : undefined, k - inWindow);
	if (second.stoppedAt !== undefined) {
		out.burstAt = before;
		return { at: before, id: second.stoppedAt };
	}
	// The second was read whole, and held fewer than the window has room for (a full page of one second
	// says only that it holds a page or more): the window goes on after it, with the room left.
	const left = k - inWindow - second.count;
	if (left <= 0) return { at: before + SECOND_MS };
	return await readScopeWindow(source, out, request, before + SECOND_MS, left);
}

/**
 * Step 3: records created after `position` and up to `frontier` whose latest change lies beyond what
 * was read (`read`), so that their creation is not passed over (plan.ts): one query. Over several
 * seconds, it asks for the records created up to the frontier's second and changed in it or later (the
 * few others it returns were read already, or were created beyond the frontier: the plan leaves them
 * out). Inside one second, the id range narrows it. (A source that cannot filter on the latest change,
 * v5, whose reads may come from a copy older than an earlier read, returns every record created in the
 * range; the plan leaves out what lies outside (position, frontier].)
 */
export function creationQueries(stream: Stream, scope: RecordScope, position: Position, frontier: Position, read: Position): CreatedRequest[] {
	if (frontier.id === undefined) {
		const createdTo = frontier.at - SECOND_MS;
		return createdTo >= position.at ? [{ stream, scope, createdFrom: position.at, createdTo, updatedFrom: read.at }] : [];
	}
	if (position.at < frontier.at) return [{ stream, scope, createdFrom: position.at, createdTo: frontier.at, updatedFrom: frontier.at }];
	return [
		{
			stream,
			scope,
			createdFrom: frontier.at,
			createdTo: frontier.at,
			updatedFrom: frontier.at + SECOND_MS,
			afterId: position.id,
			upToId: frontier.id,
		},
	];
}

/**
 * Records that a recycle-bin scan returned in the same state as the live scan: a record cannot be
 * both, so either the API ignored `deleted` (undocumented for v3/v4 opportunities) or the record went
 * to the bin between the two queries. The live copies, by id.
 */
export function inBothStates(records: ChangeRecord[]): ChangeRecord[] {
	const binned = new Set(records.filter((r) => r.deleted).map((r) => `${r.id}@${r.updatedAt}`));
	return records.filter((r) => !r.deleted && binned.has(`${r.id}@${r.updatedAt}`)).sort((a, b) => compareIds(a.id, b.id));
}

/** How many of those records are read again to tell an ignored filter from a deletion during the poll. */
const BIN_PROOF_RECORDS = 3;

/**
 * Proves that the API ignored `deleted`: one of the records both scans returned is still live, in the
 * same state, in a live query made after the bin scan. A record deleted while the poll was between
 * its two queries is gone from it, and proves nothing (one query, from the first suspect on, by id).
 */
async function binIgnoredProven(source: ChangeSource, stream: Stream, suspects: ChangeRecord[]): Promise<boolean> {
	const checked = suspects.slice(0, BIN_PROOF_RECORDS);
	const first = checked[0];
	if (!/^\d{1,15}$/.test(first.id)) return false;
	const scan = source.scan({ stream, scope: 'live', from: Math.min(...checked.map((r) => r.updatedAt)), afterId: String(Number(first.id) - 1) });
	for await (const page of scan) {
		// A live scan reads live records only (every adapter marks them so).
		const live = new Set(page.records.map((r) => `${r.id}@${r.updatedAt}`));
		return checked.some((r) => live.has(`${r.id}@${r.updatedAt}`));
	}
	return false;
}

export async function readStream(source: ChangeSource, request: ReadRequest, hostClock: () => number): Promise<ReadResult> {
	if (source.bothAtOnce && request.scopes.includes('live') && request.scopes.includes('bin')) {
		// One query for live records and the recycle bin together: half the calls.
		return await readStreamOnce(source, { ...request, scopes: ['both'] }, hostClock);
	}
	// Errors pass through untouched (the transport's NodeApiError); only error 5 on a bin scan is handled.
	const outcome = await readStreamOnce(source, request, hostClock).then(
		(result) => ({ result }),
		(error: unknown) => ({ error }),
	);
	if ('result' in outcome) {
		const suspects = request.scopes.includes('bin') ? inBothStates(outcome.result.records) : [];
		if (!suspects.length || !(await binIgnoredProven(source, request.stream, suspects))) return outcome.result;
		return { ...outcome.result, records: outcome.result.records.filter((r) => !r.deleted), deletedUnsupported: true };
	}
	// Error 5: none of the parameters was recognised; for a bin scan that means `deleted` itself.
	if (pardotErrorCode(outcome.error) !== PARDOT_ERROR.invalidParameters || !request.scopes.includes('bin')) {
		return await Promise.reject(outcome.error);
	}
	const live = await readStreamOnce(source, { ...request, scopes: request.scopes.filter((scope) => scope === 'live') }, hostClock);
	return { ...live, deletedUnsupported: true };
}

async function readStreamOnce(source: ChangeSource, request: ReadRequest, hostClock: () => number): Promise<ReadResult> {
	const { stream, cursor } = request;
	const position = cursor.position;
	const out: Collected = { records: [] };
	const bounded = source.canBound(stream);
	let readFrontier: Position | undefined;
	let from = position.at;
	// Changes remembered as emitted after the position are read again and give no event: room for them.
	let need = request.need + Object.keys(cursor.emitted).length;

	// The rest of a second by id, when the read after it can be narrowed and either the position is
	// inside a burst (a page by change time would find that burst again) or a window cannot start inside
	// a second. Otherwise a window starts after the position itself. A stream that cannot be sorted by
	// change time reads every pending change at each poll anyway: its read starts at the position's
	// second, and the plan leaves out what the position already covers (no extra queries).
	let afterId: string | undefined;
	if (position.id !== undefined && bounded) {
		if (source.windowsInsideSecond && !cursor.burst) afterId = position.id;
		else {
			const second = await readSecond(source, out, request, position.at, position.id, need);
			// Still a burst where the plan stops inside it: more of it than this poll takes.
			if (second.stoppedAt !== undefined || cursor.burst) out.burstAt = position.at;
			if (second.stoppedAt !== undefined) readFrontier = { at: position.at, id: second.stoppedAt };
			// The rest of the second alone holds what this poll may emit: nothing more to read.
			else if (second.count >= need) readFrontier = { at: position.at + SECOND_MS };
			from = position.at + SECOND_MS;
			need = Math.max(1, need - second.count);
		}
	}
	if (!readFrontier) {
		const fit = cursor.backlog && bounded ? { fits: false, k: need } : await readAllIfFits(source, out, request, from, need);
		if (!fit.fits) readFrontier = (await readWindow(source, out, request, from, fit.k, afterId)) ?? undefined;
		// A window that held every change is as good as a full read.
	}

	const clock = out.clock ?? hostClock();
	// Changes of seconds that had ended a moment before Pardot answered are emitted now; the position
	// stays where every write is visible for sure, and the next reads start there again (plan.ts).
	const settled = positionAtInstant(clock - source.settleMs);
	const visible = positionAtInstant(clock - source.visibleMs);
	const frontier = readFrontier ? earlierPosition(readFrontier, visible) : visible;
	if (readFrontier && request.creations && bounded && comparePositions(frontier, position) > 0) {
		for (const scope of request.scopes) {
			for (const query of creationQueries(stream, scope, position, frontier, readFrontier)) {
				out.records.push(...(await source.created({ ...query, notBefore: position.at })));
			}
		}
	}
	return {
		records: out.records,
		frontier,
		settled: earlierPosition(frontier, settled),
		windowed: readFrontier !== undefined && comparePositions(readFrontier, settled) <= 0,
		burstAt: out.burstAt,
		clock: out.clock,
		capped: out.capped,
	};
}
