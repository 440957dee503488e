import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { ChangeRecord, Position, RecordScope, Stream } from '../model';
import type { RecycleBin } from './objects';

/**
 * What the trigger needs from Pardot, whatever the API version. Each API family implements it in
 * a small adapter (legacy.ts for v3/v4, v5.ts). Every read returns *latest states* of records
 * (Pardot keeps no history): a record changed twice shows only its newest change.
 */

export interface ScanRequest {
	stream: Stream;
	/** Live records, the recycle bin, or both (only where `bothAtOnce`). */
	scope: RecordScope;
	/** Every change at or after this second is returned (some older ones may come too). */
	from: number;
	/** When set, only changes before this second are guaranteed (some later ones may come too). */
	before?: number;
	/** Start after this record id (the scan pages by id). */
	afterId?: string;
	/**
	 * A page size when fewer than a full page are needed (v5 honours it; v3/v4 filters can return
	 * records of other seconds too, so they read full pages). The caller stops reading when done.
	 */
	pageSize?: number;
	/**
	 * The earliest instant a new change can have (the cursor's position): where a v3/v4 local time
	 * names two instants (a DST fall-back), the earliest not before it is meant. Default `from`.
	 */
	notBefore?: number;
	/**
	 * Whether the next page will surely be wanted, given how many records the scan has read so far (before
	 * any are left out) and how many it matches when the API says: it is then asked for while this page
	 * is parsed and used. Without it, each page is asked for when the caller wants it.
	 */
	readAhead?: (read: number, total: number | undefined) => boolean;
}

export interface CreatedRequest {
	stream: Stream;
	/** Live records, the recycle bin, or both (only where `bothAtOnce`). */
	scope: RecordScope;
	/** Creation second range, both ends included. */
	createdFrom: number;
	createdTo: number;
	/**
	 * The records that matter have their latest change at or after this second (the others were read).
	 * An adapter whose reads are not monotonic (v5: one read can come from a copy older than the one
	 * before) must not filter on it: that copy shows a record changed a moment ago in an older state.
	 */
	updatedFrom: number;
	/** Id range (exclusive lower, inclusive upper), used when the creation range is one second. */
	afterId?: string;
	upToId?: string;
	/** The earliest instant a change can have (the cursor's position), as in ScanRequest. Default `createdFrom`. */
	notBefore?: number;
}

export interface ScanPage {
	records: ChangeRecord[];
	/** Pardot's clock when it answered (HTTP Date), minus the request's duration. */
	serverTime?: number;
	/** How many records the whole scan matches, when the API says (v3/v4 total_results). */
	total?: number;
	/** Whether more pages follow. */
	more: boolean;
	/**
	 * The last id the page read, when `records` leave some out (records the workflow does not want,
	 * dropped by the adapter): the next page starts after it. Defaults to the last record's id.
	 */
	lastId?: string;
	/** How many records the page read and left out (see `lastId`). */
	dropped?: number;
}

export interface WindowRead {
	records: ChangeRecord[];
	/**
	 * Every change with a key up to this position was returned; undefined when the window holds
	 * every change from `from` on (nothing was cut off).
	 */
	frontier?: Position;
	/** More than k changes share the second `from`: read it by id instead (no records returned). */
	burst?: boolean;
	/** The window stopped early after leaving out maxDroppedPerRead records (its frontier is where). */
	capped?: boolean;
	/** A second holding more than a page that the window read by id and ends inside (a burst). */
	burstAt?: number;
	serverTime?: number;
}

export interface ChangeSource {
	readonly pageSize: number;
	/** How many records one read may leave out (dropped as read) before it stops (MAX_DROPPED_PER_READ). */
	readonly maxDroppedPerRead: number;
	/**
	 * How far behind Pardot's clock a scan is complete: clock granularity, request time, read lag (the
	 * lag window). The position stays this far behind; changes after it are read again at every poll.
	 */
	readonly settleMs: number;
	/** How far behind Pardot's clock changes are emitted: their second has ended (settleMs when only settled changes are). */
	readonly visibleMs: number;
	/** Whether the oldest changes of this stream can be found as a window (filter and sort by change time). */
	canBound(stream: Stream): boolean;
	/** How the API shows this stream's recycle bin (objects.ts). */
	recycleBin(stream: Stream): RecycleBin;
	/** Whether one query can read live records and the recycle bin together (v5 `deleted=all`). */
	readonly bothAtOnce: boolean;
	/** Whether dates are local times of the API user without an offset (v3/v4), read in the credential's zone. */
	readonly localTimes: boolean;
	/** Every record changed at or after `from` (see ScanRequest), in pages by id: at least one page, empty when none is. */
	scan(request: ScanRequest): AsyncIterable<ScanPage>;
	/**
	 * The oldest `k` changes at or after the second `from` (after the record `afterId` of that second,
	 * where `windowsInsideSecond`), in change order (only when canBound).
	 */
	window(request: Omit<ScanRequest, 'before' | 'pageSize'>, k: number): Promise<WindowRead>;
	/** Whether a window can start inside a second, after a record id (v5 sorts by change time, then id). */
	readonly windowsInsideSecond: boolean;
	/** Records created in a range whose latest change is later (only when canBound). */
	created(request: CreatedRequest): Promise<ChangeRecord[]>;
	/**
	 * The most recent change (a sample). With `accept`, the most recent accepted one among the newest
	 * page of records (one request either way).
	 */
	latest(stream: Stream, accept?: (raw: IDataObject) => boolean): Promise<ChangeRecord | undefined>;
	/** Pardot's clock when it answered one small request (HTTP Date, whole seconds). */
	serverTime(stream: Stream): Promise<number | undefined>;
}

/** One page of a scan by id as it arrives, before its records are parsed. */
export interface FetchedPage {
	/** The last id the page read (the next page starts after it); undefined when it read none. */
	lastId?: string;
	/** Whether more pages follow. */
	more: boolean;
	/** How many records are left from this page on, when the API says (v3/v4 total_results). */
	total?: number;
	/** How many records the page read, wanted or not. */
	read: number;
	/** The page's records (parsed while the next page, when already asked for, is on its way). */
	parse(): ScanPage;
}

/**
 * Pages through a query ordered by id, feeding the last id back as a filter (Pardot's advice:
 * a high-water mark, never an offset, so writes during paging cannot shift records past us).
 * Every page that has a next one must move on: one that asked for the records after `afterId` and still
 * ends at or before it (Pardot ignored the filter) fails with `guard.stalled`, instead of the same page being
 * asked for forever. `guard.after` is the id order. When `readAhead` says the next page will be wanted, it is
 * asked for as soon as this one has arrived, and this one is parsed meanwhile: two requests at most, and
 * none for a page the caller may not want. `meanwhile` gets each parsed page while the next one is on its way
 * (only then: work done there costs no time).
 */
export async function* pagesById(
	fetchPage: (afterId: string | undefined) => Promise<FetchedPage>,
	startAfter: string | undefined,
	guard: { after: (id: string, other: string) => boolean; stalled: (afterId: string, lastId: string) => Error },
	readAhead?: (read: number, total: number | undefined) => boolean,
	meanwhile?: (page: ScanPage) => void,
): AsyncIterable<ScanPage> {
	let afterId = startAfter;
	let next: Promise<FetchedPage> | undefined = fetchPage(afterId);
	let read = 0;
	for (;;) {
		const fetched: FetchedPage = await next;
		const { lastId } = fetched;
		if (fetched.more && afterId !== undefined && lastId !== undefined && !guard.after(lastId, afterId)) throw guard.stalled(afterId, lastId);
		const more = fetched.more && lastId !== undefined;
		// total_results counts what is left after `afterId`; report it for the whole scan.
		const total = fetched.total === undefined ? undefined : read + fetched.total;
		read += fetched.read;
		next = undefined;
		if (more && readAhead?.(read, total)) {
			next = fetchPage(lastId);
			// Awaited at the next turn; a caller that stops first leaves it unanswered, not unhandled.
			next.catch(() => undefined);
			// n8n prepares a request over several turns of the event loop's job queue (credentials, signing)
			// before it goes out: one turn of the event loop lets it leave before this page's records are
			// parsed, so that the parse overlaps its wait instead of delaying it.
			await sleep(0);
		}
		const page: ScanPage = { ...fetched.parse(), total, more };
		if (next) meanwhile?.(page);
		yield page;
		if (!more) return;
		next ??= fetchPage(lastId);
		afterId = lastId;
	}
}

/**
 * At most `n` requests of one poll in flight: Pardot allows 5 concurrent requests per user, shared with
 * every other integration of the account. A request waits for a free slot; a finished one hands its slot on.
 */
export function requestSlots(n: number): <T>(task: () => Promise<T>) => Promise<T> {
	let active = 0;
	const waiting: Array<() => void> = [];
	return async (task) => {
		if (active < n) active++;
		else await new Promise<void>((resolve) => waiting.push(resolve));
		try {
			return await task();
		} finally {
			const handOn = waiting.shift();
			if (handOn) handOn();
			else active--;
		}
	};
}

/** How many requests one poll has in flight at most (every stream together): 2 of Pardot's 5. */
export const MAX_CONCURRENT_REQUESTS = 2;

/** Pardot's clock at the start of a request: the Date header minus the time the request took. */
export function clockAtStart(serverTime: number | undefined, startedAt: number, endedAt: number): number | undefined {
	return serverTime === undefined ? undefined : serverTime - Math.max(0, endedAt - startedAt);
}

/**
 * The lag window: Pardot documents that v5 reads may lag writes by up to 60 s (the write shows up
 * late, with its true, older time), plus clock rounding. v3/v4 run on the same servers: their reads
 * get the same window. The position stays this far behind Pardot's clock.
 */
export const LAG_WINDOW_MS = 65_000;

/**
 * A change is emitted as soon as its second has ended this long before Pardot's Date header (the
 * header may run a little ahead of the clock that stamps records): a record changed twice in one
 * second is then seen in its later state.
 */
export const ENDED_SECOND_MS = 2_000;

/** The two clocks of a source: where the position may go (settleMs) and what may be emitted (visibleMs). */
export function settling(emitWhenVisible: boolean | undefined, settledOnlyMs: number): { settleMs: number; visibleMs: number } {
	if (emitWhenVisible === false) return { settleMs: settledOnlyMs, visibleMs: settledOnlyMs };
	return { settleMs: LAG_WINDOW_MS, visibleMs: ENDED_SECOND_MS };
}

/**
 * The most records one read of a stream may leave out (records the workflow does not want, dropped as
 * read: v5 Activity Types) before it stops and leaves the rest to the next poll. It bounds a poll's
 * requests and time when a few wanted records hide among many others (a mass email's sends).
 */
export const MAX_DROPPED_PER_READ = 20_000;

/**
 * The most queries one read of a stream may make in one poll (both adapters, every kind of read; query.ts counts
 * them). The largest legitimate reads stay far below: a v5 window of 1,000 changes with 20,000 records left out
 * takes about 25 queries, and v3/v4 opportunities (read whole at every poll) need 2,000 only past 400,000 of them.
 * It stops what nothing else would: pages that keep coming and keep moving on.
 */
export const MAX_REQUESTS_PER_READ = 2_000;
