import type { IDataObject } from 'n8n-workflow';

import type { PardotConnection, PardotContext } from '../../shared/transport/connection';
import { changeRecords, requestBudget, timedQuery } from './query';
import { pagingStalled, unexpectedResponse, unreadableRecord } from '../../shared/transport/failures';
import type { TransportOptions } from '../../shared/transport/request';
import { lowerBoundFilter, pardotLocalToInstant, upperBoundFilter, localCandidates } from '../time';
import type { ChangeRecord, Position, Stream } from '../model';
import { compareIds, SECOND_MS } from '../model';
import type { ChangeSource, ScanRequest, WindowRead } from './source';

type WindowRequest = Parameters<ChangeSource['window']>[0];
import { MAX_CONCURRENT_REQUESTS, MAX_DROPPED_PER_READ, MAX_REQUESTS_PER_READ, pagesById, requestSlots, settling } from './source';
import { REQUIRED_FIELDS } from './fields';
import type { ChangeTime, LegacyObject } from './objects';
import { OBJECTS, TIME_FIELD } from './objects';

/**
 * API v3/v4 adapter, one for every object (objects.ts says what each one allows). Changes are found
 * with `<time>_after`/`<time>_before` on the change time (local time of the API user, strict or
 * inclusive: both work because the cursor drops what it already emitted). Opportunities have no
 * update filter, so every poll reads them all and compares `updated_at`.
 */

const MAX_PAGE_SIZE = 200;
// Emitting settled changes only: dates have one-second resolution and the Date header rounds down, 5 s covers both.
const SETTLE_MS = 5_000;
// Fetch Test Event without a sort by change time: recent windows, narrowest first, and how much of one is read.
const RECENT_SPANS_MS = [60_000, 3_600_000, 86_400_000, 30 * 86_400_000];
const RECENT_MAX_RECORDS = 1000;
// An id that stays exact as a JavaScript number (so id + 1 is the next id).
const SAFE_NUMERIC_ID = /^\d{1,15}$/;

/** The v3/v4 description of an object; campaigns have none (checked before any request). */
function legacyOf(stream: Stream): LegacyObject {
	const legacy = OBJECTS[stream].legacy;
	if (!legacy) throw new Error(`Pardot API v3/v4 cannot be polled for ${stream}`);
	return legacy;
}

/** v3/v4 quirks: one match is an object not an array, no match omits the key, result may be null. */
export function recordsOf(body: IDataObject, key: string): IDataObject[] {
	const result = body.result as IDataObject | null | undefined;
	if (!result || typeof result !== 'object') return [];
	const value = result[key];
	if (Array.isArray(value)) return value as IDataObject[];
	if (value && typeof value === 'object') return [value as IDataObject];
	return [];
}

export function totalOf(body: IDataObject): number | undefined {
	const result = body.result as IDataObject | null | undefined;
	const total = Number(result?.total_results);
	return result && result.total_results !== undefined && Number.isFinite(total) ? total : undefined;
}

export function toChangeRecord(
	raw: IDataObject,
	zone: string,
	deleted: boolean,
	notBefore?: number,
	changeTime: ChangeTime = 'updated',
): ChangeRecord | undefined {
	// A record Pardot never changes (a visitor activity) changes when it is created.
	const updatedLocal = String((changeTime === 'created' ? raw.created_at : raw.updated_at) ?? raw.created_at ?? '');
	const candidates = localCandidates(updatedLocal, zone);
	if (raw.id === undefined || raw.id === null || candidates.length === 0) return undefined;
	const updatedAt = pardotLocalToInstant(updatedLocal, zone, notBefore) ?? candidates[0];
	// A record is created before it is updated: of two meanings, the latest not after the update.
	const created = localCandidates(String(raw.created_at ?? updatedLocal), zone);
	const createdAt = [...created].reverse().find((c) => c <= updatedAt) ?? created[0] ?? updatedAt;
	return {
		id: String(raw.id),
		createdAt,
		updatedAt,
		updatedAtMin: candidates[0],
		updatedAtMax: candidates[candidates.length - 1],
		deleted,
		raw,
	};
}

/** Which field of a record toChangeRecord could not read: its id, or the date its change time comes from. */
export function unreadableField(raw: IDataObject, changeTime: ChangeTime = 'updated'): string {
	if (raw.id === undefined || raw.id === null) return 'id';
	if (changeTime === 'created' || raw.updated_at === undefined || raw.updated_at === null) return 'created_at';
	return 'updated_at';
}

/**
 * Where a window of the oldest k changes ends, given every change of the seconds read (`complete`, in
 * change order, each second whole): before the (k+1)-th change's second, or inside the k-th change's
 * second at the id that makes k (ids order a second's changes). Undefined when there are no more than k.
 */
export function windowEnd(complete: ChangeRecord[], k: number): Position | undefined {
	if (complete.length <= k) return undefined;
	const second = complete[k - 1].updatedAt;
	if (complete[k].updatedAt > second) return { at: complete[k].updatedAt };
	const before = complete.filter((r) => r.updatedAt < second).length;
	const ids = complete.filter((r) => r.updatedAt === second).map((r) => r.id).sort(compareIds);
	return { at: second, id: ids[k - before - 1] };
}

export function createLegacySource(
	ctx: PardotContext,
	conn: PardotConnection,
	fields: Partial<Record<Stream, string[]>> = {},
	transport: TransportOptions = {},
	/** Extra criteria per stream, sent with every query of it (visitor activity `type`). */
	criteria: Partial<Record<Stream, Record<string, string>>> = {},
	/** Gets each page of records read ahead, while the next page is on its way (the poll prepares its events there). */
	meanwhile?: (stream: Stream, records: ChangeRecord[]) => void,
): ChangeSource {
	const zone = conn.timezone;
	const fullPage = Math.min(transport.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
	// The prospect query's `fields` returns only the chosen fields: smaller pages. (Other objects
	// have no such parameter.)
	const fieldsParam = (stream: Stream) =>
		legacyOf(stream).fieldsParam && fields[stream]?.length
			? [...new Set([...REQUIRED_FIELDS.legacy[stream], ...fields[stream]!])].join(',')
			: undefined;
	const path = (stream: Stream) => `/api/${legacyOf(stream).path}/version/${conn.apiVersion}/do/query`;
	const time = (stream: Stream) => TIME_FIELD[OBJECTS[stream].changeTime];

	/** Every query of a stream: format, fields, documented defaults, the user's criteria. */
	const base = (stream: Stream) => ({ format: 'json', fields: fieldsParam(stream), ...legacyOf(stream).always, ...criteria[stream] });

	function updateFilters(request: Pick<ScanRequest, 'stream' | 'scope' | 'from' | 'before'>) {
		const filtered = legacyOf(request.stream).timeFilter;
		const name = time(request.stream).filter;
		return {
			...base(request.stream),
			// v3/v4 read live records and the bin in separate queries (both at once is v5 only).
			deleted: request.scope === 'bin' ? 'true' : undefined,
			// One second earlier than asked: with a strict `updated_after` the second `from` is still
			// included; the cursor drops what it already emitted.
			[`${name}_after`]: filtered ? lowerBoundFilter(request.from - SECOND_MS, zone) : undefined,
			// A whole second from Pardot's own dates: whether `updated_before` is strict or inclusive,
			// every change before it comes (and at most that second besides).
			[`${name}_before`]: filtered && request.before !== undefined ? upperBoundFilter(request.before, zone) : undefined,
		};
	}

	const spend = requestBudget(ctx, conn, transport.maxRequestsPerRead ?? MAX_REQUESTS_PER_READ);
	const pipelined = transport.pipelined !== false;
	const slots = requestSlots(pipelined ? MAX_CONCURRENT_REQUESTS : 1);
	async function query(stream: Stream, params: Record<string, string | number | undefined>) {
		spend(stream);
		const answer = await timedQuery(ctx, conn, path(stream), params, transport, slots);
		// Every v3/v4 query answer has "result" (null or without records when none match): anything else is not
		// Pardot's answer (a proxy, another service), never an empty page.
		if (!('result' in answer.response.body)) throw unexpectedResponse(ctx, conn, answer.response.status, 'a JSON object without Pardot\'s "result"');
		return answer;
	}

	const parse = (body: IDataObject, stream: Stream, deleted: boolean, notBefore?: number) =>
		changeRecords(
			recordsOf(body, legacyOf(stream).key),
			(raw) => toChangeRecord(raw, zone, deleted, notBefore, OBJECTS[stream].changeTime),
			(raw) => {
				const field = unreadableField(raw, OBJECTS[stream].changeTime);
				return unreadableRecord(ctx, conn, stream, raw.id, field, raw[field]);
			},
		);

	/** Pages by id through a query; `filters` are sent with every page. */
	function pages(stream: Stream, deleted: boolean, filters: Record<string, string | undefined>, notBefore: number, afterId?: string, readAhead?: ScanRequest['readAhead']) {
		// Always full pages: a second's filter can also return neighbouring seconds (strict or inclusive
		// bounds, a DST hour), so a smaller page could hold none of what is needed.
		const pageLimit = fullPage;
		return pagesById(
			async (lastId) => {
				const { response, serverTime } = await query(stream, {
					...filters,
					sort_by: 'id',
					sort_order: 'ascending',
					limit: pageLimit,
					id_greater_than: lastId,
				});
				const raws = recordsOf(response.body, legacyOf(stream).key);
				const total = totalOf(response.body);
				// total_results counts every match of this query: when this page holds them all, no
				// further (empty) request is needed.
				const more = raws.length >= pageLimit && (total === undefined || raws.length < total);
				const lastRaw = raws[raws.length - 1]?.id;
				return {
					// (A record without an id stops the read when the page is parsed.)
					lastId: lastRaw === undefined || lastRaw === null ? undefined : String(lastRaw),
					read: raws.length,
					total,
					more,
					parse: () => ({ records: parse(response.body, stream, deleted, notBefore), serverTime, total, more }),
				};
			},
			afterId,
			{
				after: (id: string, other: string) => compareIds(id, other) > 0,
				stalled: (after: string, last: string) => pagingStalled(ctx, conn, stream, after, last),
			},
			pipelined ? readAhead : undefined,
			meanwhile && ((page) => meanwhile(stream, page.records)),
		);
	}

	/** The latest change among those of the last minute, hour, day or 30 days (the first that has one). */
	async function latestRecentChange(stream: Stream, accept?: (raw: IDataObject) => boolean): Promise<ChangeRecord | undefined> {
		const now = (await source.serverTime(stream)) ?? Date.now();
		for (const span of RECENT_SPANS_MS) {
			const from = now - span;
			const found: ChangeRecord[] = [];
			for await (const page of source.scan({ stream, scope: 'live', from })) {
				found.push(...page.records.filter((record) => !accept || accept(record.raw)));
				if (found.length >= RECENT_MAX_RECORDS) break;
			}
			if (found.length) return found.reduce((a, b) => (b.updatedAt > a.updatedAt || (b.updatedAt === a.updatedAt && compareIds(b.id, a.id) > 0) ? b : a));
		}
		return undefined;
	}

	/**
	 * The window of the oldest k changes after (from, afterId), read in pages sorted by change time: each
	 * next page starts at the second of the last record read (a high-water mark, never an offset) and
	 * skips what it read already. Every change before the second of a page's last record has been read,
	 * so a second inside that is read whole and the window can end inside it, by id, at exactly k
	 * changes. It reads no more pages than k changes take (ceil(k / 200)): when the pages end first (a
	 * second spans two of them, records of the first second were read before), it ends at the last
	 * second read, a little short of k. Undefined when the sort cannot be trusted (a local time a DST
	 * fall-back repeats, records out of order, a page of the second before `from`): then the window is
	 * found by its end (windowByProbe).
	 */
	async function windowByTime(request: WindowRequest, k: number): Promise<WindowRead | undefined> {
		const { stream, afterId } = request;
		const notBefore = request.notBefore ?? request.from;
		const bin = request.scope === 'bin';
		const maxPages = Math.ceil(k / fullPage);
		const isNew = (r: ChangeRecord) => r.updatedAt > request.from || (r.updatedAt === request.from && (afterId === undefined || compareIds(r.id, afterId) > 0));
		const records: ChangeRecord[] = [];
		const read = new Set<string>();
		let serverTime: number | undefined;
		let from = request.from;
		for (let pages = 1; ; pages++) {
			const answer = await query(stream, { ...updateFilters({ ...request, from }), sort_by: time(stream).legacy, sort_order: 'ascending', limit: fullPage });
			serverTime ??= answer.serverTime;
			const page = parse(answer.response.body, stream, bin, notBefore);
			const ordered = page.every((r, i) => r.updatedAtMin === r.updatedAtMax && (i === 0 || r.updatedAt >= page[i - 1].updatedAt));
			if (!ordered) return undefined;
			for (const record of page) {
				const key = `${record.id}@${record.updatedAt}`;
				if (!isNew(record) || read.has(key)) continue;
				read.add(key);
				records.push(record);
			}
			const total = totalOf(answer.response.body);
			if (page.length < fullPage || (total !== undefined && page.length >= total)) return { records, serverTime };
			const lastSecond = page[page.length - 1].updatedAt;
			if (lastSecond <= from) {
				// A page that never left the second it started at: that second holds more than a page. The
				// window ends before it, and the read finishes it by id (read.ts); in the first second, the
				// window is that second (a burst). A page full of the second before `from` (a filter's
				// slack) says nothing.
				if (lastSecond < request.from) return undefined;
				return lastSecond === request.from ? { records: [], burst: true, serverTime } : { records, frontier: { at: lastSecond }, serverTime };
			}
			const complete = records.filter((r) => r.updatedAt < lastSecond);
			if (complete.length >= k || pages >= maxPages) return { records, frontier: windowEnd(complete, k) ?? { at: lastSecond }, serverTime };
			from = lastSecond;
		}
	}

	/**
	 * The window of the oldest k changes, found by where it ends: the (k+1)-th change in update order
	 * (an offset query), then every change before its second, by id.
	 */
	async function windowByProbe(request: WindowRequest, k: number): Promise<WindowRead> {
		const { response, serverTime } = await query(request.stream, {
			...updateFilters(request),
			sort_by: time(request.stream).legacy,
			sort_order: 'ascending',
			offset: k,
			limit: 1,
		});
		const next = parse(response.body, request.stream, request.scope === 'bin', request.notBefore ?? request.from)[0];
		const records: ChangeRecord[] = [];
		const collect = async (scan: Partial<ScanRequest>) => {
			// By id from the start of `from`'s second: a window that starts inside it reads it whole again.
			for await (const page of source.scan({ ...request, afterId: undefined, readAhead: () => true, ...scan })) records.push(...page.records);
		};
		// Nothing beyond k, or the filter's slack (a strict-or-inclusive second, a DST hour) put
		// older records first: read everything from `from`.
		if (!next || next.updatedAt < request.from) {
			await collect({});
			return { records, serverTime };
		}
		if (next.updatedAt > request.from) {
			await collect({ before: next.updatedAt });
			return { records, frontier: { at: next.updatedAt }, serverTime };
		}
		// More than k changes share the first second: the caller reads that second by id.
		return { records, burst: true, serverTime };
	}

	const source: ChangeSource = {
		pageSize: fullPage,
		maxDroppedPerRead: transport.maxDroppedPerRead ?? MAX_DROPPED_PER_READ,
		...settling(transport.emitWhenVisible, SETTLE_MS),
		canBound: (stream) => legacyOf(stream).timeFilter && legacyOf(stream).timeSort,
		recycleBin: (stream) => legacyOf(stream).bin,
		bothAtOnce: false,
		localTimes: true,
		// A window read by change time starts inside a second: the records of that second read again are skipped.
		windowsInsideSecond: true,
		scan(request) {
			return pages(request.stream, request.scope === 'bin', updateFilters(request), request.notBefore ?? request.from, request.afterId, request.readAhead);
		},
		async window(request, k) {
			return (await windowByTime(request, k)) ?? (await windowByProbe(request, k));
		},
		async created(request) {
			// A record that changes only when created has no creation apart from its change.
			if (OBJECTS[request.stream].changeTime === 'created') return [];
			const filters = {
				...base(request.stream),
				deleted: request.scope === 'bin' ? 'true' : undefined,
				created_after: lowerBoundFilter(request.createdFrom - SECOND_MS, zone),
				created_before: upperBoundFilter(request.createdTo + SECOND_MS, zone),
				// v3/v4 reads are monotonic: a record changed beyond the window shows that change here too.
				updated_after: lowerBoundFilter(request.updatedFrom - SECOND_MS, zone),
				id_less_than: request.upToId !== undefined && SAFE_NUMERIC_ID.test(request.upToId) ? String(Number(request.upToId) + 1) : undefined,
			};
			const records: ChangeRecord[] = [];
			// A local time in a repeated DST hour is read as every other query of the poll reads it.
			for await (const page of pages(request.stream, request.scope === 'bin', filters, request.notBefore ?? request.createdFrom, request.afterId, () => true)) {
				records.push(...page.records);
			}
			return records;
		},
		async latest(stream, accept) {
			// An object Pardot cannot sort by change time (list memberships): its most recent change is
			// the latest updated_at among the recent ones, in the narrowest recent window that has any.
			if (legacyOf(stream).timeFilter && !legacyOf(stream).timeSort) {
				const recent = await latestRecentChange(stream, accept);
				if (recent) return recent;
			}
			const { response } = await query(stream, {
				...base(stream),
				sort_by: legacyOf(stream).timeSort ? time(stream).legacy : 'created_at',
				sort_order: 'descending',
				limit: accept ? fullPage : 1,
			});
			return parse(response.body, stream, false).find((record) => !accept || accept(record.raw));
		},
		async serverTime(stream) {
			const { answeredAt } = await query(stream, { ...base(stream), fields: undefined, sort_by: 'id', sort_order: 'ascending', limit: 1 });
			return answeredAt;
		},
	};
	return source;
}
