import type { IDataObject } from 'n8n-workflow';

import type { PardotConnection, PardotContext } from '../../shared/transport/connection';
import { changeRecords, requestBudget, timedQuery } from './query';
import { pagingStalled, unexpectedResponse, unreadableRecord } from '../../shared/transport/failures';
import type { TransportOptions } from '../../shared/transport/request';
import { DEFAULT_FIELDS_V5, REQUIRED_FIELDS } from './fields';
import type { ChangeTime } from './objects';
import { OBJECTS, TIME_FIELD } from './objects';
import { isoToInstant } from '../time';
import type { ChangeRecord, Position, RecordScope, Stream } from '../model';
import { compareIds, SECOND_MS, secondOf } from '../model';
import type { ChangeSource, ScanRequest, WindowRead } from './source';
import { LAG_WINDOW_MS, MAX_CONCURRENT_REQUESTS, MAX_DROPPED_PER_READ, MAX_REQUESTS_PER_READ, pagesById, requestSlots, settling } from './source';

/**
 * API v5 adapter, one for every object (`objects/<path>`, objects.ts): filters and sorts on the
 * change time (`updatedAt`, or `createdAt` for visitor activities), ISO dates with offsets, pages of
 * up to 1,000. Scans page with our own `idGreaterThan` filter rather than nextPageToken: it is stable
 * under concurrent writes and never hits the 100,000-record or 4-hour token limits.
 */

const MAX_PAGE_SIZE = 1000;
// Room in a window's first page for records of its first second that a poll already read.
const WINDOW_OVERLAP = 50;

const pathOf = (stream: Stream) => `/api/v5/objects/${OBJECTS[stream].v5.path}`;

function iso(ms: number): string {
	// Whole seconds, UTC; the transport encodes '+' in offsets correctly (URLSearchParams).
	return new Date(secondOf(ms)).toISOString().replace('.000Z', 'Z');
}

export function toChangeRecordV5(raw: IDataObject, scope: RecordScope, changeTime: ChangeTime = 'updated'): ChangeRecord | undefined {
	// A record Pardot never changes (a visitor activity) changes when it is created.
	const updated = isoToInstant(String((changeTime === 'created' ? raw.createdAt : raw.updatedAt) ?? raw.createdAt ?? ''));
	if (raw.id === undefined || raw.id === null || updated === undefined) return undefined;
	const updatedAt = secondOf(updated);
	const created = isoToInstant(String(raw.createdAt ?? ''));
	return {
		id: String(raw.id),
		createdAt: created === undefined ? updatedAt : secondOf(created),
		updatedAt,
		updatedAtMin: updatedAt,
		updatedAtMax: updatedAt,
		// Read with deleted=all, each record says where it is.
		deleted: scope === 'both' ? raw.isDeleted === true : scope === 'bin',
		raw,
	};
}

/** Which field of a record toChangeRecordV5 could not read: its id, or the date its change time comes from. */
export function unreadableFieldV5(raw: IDataObject, changeTime: ChangeTime = 'updated'): string {
	if (raw.id === undefined || raw.id === null) return 'id';
	if (changeTime === 'created' || raw.updatedAt === undefined || raw.updatedAt === null) return 'createdAt';
	return 'updatedAt';
}

/** The v5 `deleted` parameter for each scope. */
const DELETED_PARAM: Record<RecordScope, string> = { live: 'false', bin: 'true', both: 'all' };

export function createV5Source(
	ctx: PardotContext,
	conn: PardotConnection,
	fields: Partial<Record<Stream, string[]>> = {},
	transport: TransportOptions = {},
	keep: Partial<Record<Stream, (raw: IDataObject) => boolean>> = {},
	/** Gets each page of records read ahead, while the next page is on its way (the poll prepares its events there). */
	meanwhile?: (stream: Stream, records: ChangeRecord[]) => void,
): ChangeSource {
	const fullPage = Math.min(transport.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
	const maxDropped = transport.maxDroppedPerRead ?? MAX_DROPPED_PER_READ;
	const fieldList = (stream: Stream, scope: RecordScope = 'live') => {
		const chosen = fields[stream]?.length ? fields[stream]! : DEFAULT_FIELDS_V5[stream];
		return [...new Set([...REQUIRED_FIELDS.v5[stream], ...(scope === 'both' ? ['isDeleted'] : []), ...chosen])].join(',');
	};
	const time = (stream: Stream) => TIME_FIELD[OBJECTS[stream].changeTime].v5;
	// `deleted` exists only for objects that go to the recycle bin (v5 overview).
	const binParam = (stream: Stream, scope: RecordScope) => (OBJECTS[stream].v5.bin === 'none' ? undefined : DELETED_PARAM[scope]);

	function updateFilters(request: Pick<ScanRequest, 'stream' | 'scope' | 'from' | 'before'>) {
		const field = time(request.stream);
		return {
			fields: fieldList(request.stream, request.scope),
			deleted: binParam(request.stream, request.scope),
			[`${field}AfterOrEqualTo`]: iso(request.from),
			[`${field}Before`]: request.before !== undefined ? iso(request.before) : undefined,
		};
	}

	const spend = requestBudget(ctx, conn, transport.maxRequestsPerRead ?? MAX_REQUESTS_PER_READ);
	const pipelined = transport.pipelined !== false;
	const slots = requestSlots(pipelined ? MAX_CONCURRENT_REQUESTS : 1);
	async function query(stream: Stream, params: Record<string, string | number | undefined>) {
		spend(stream);
		const { response, serverTime, answeredAt } = await timedQuery(ctx, conn, pathOf(stream), params, transport, slots);
		// Every v5 query answer holds its records under "values", an empty list when none match: anything else
		// is not Pardot's answer (a proxy, another service), never an empty page.
		if (!Array.isArray(response.body.values)) throw unexpectedResponse(ctx, conn, response.status, 'a JSON object without Pardot\'s list of records ("values")');
		const values = response.body.values as IDataObject[];
		const token = typeof response.body.nextPageToken === 'string' ? response.body.nextPageToken : undefined;
		return {
			values,
			token,
			// A token sequence cut off by Pardot (100,000 records): more records follow, with no token.
			cutOff: response.warnings.length > 0 && !token,
			serverTime,
			answeredAt,
		};
	}

	const parse = (values: IDataObject[], scope: RecordScope, stream: Stream) =>
		changeRecords(
			values,
			(raw) => toChangeRecordV5(raw, scope, OBJECTS[stream].changeTime),
			(raw) => {
				const field = unreadableFieldV5(raw, OBJECTS[stream].changeTime);
				return unreadableRecord(ctx, conn, stream, raw.id, field, raw[field]);
			},
		);
	const byId = (stream: Stream) => ({
		after: (id: string, other: string) => compareIds(id, other) > 0,
		stalled: (afterId: string, lastId: string) => pagingStalled(ctx, conn, stream, afterId, lastId),
	});
	// Records the workflow does not want and v5 cannot leave out on its side (activity types: v5
	// documents no type filter) are dropped as they are read, so every count below, the window's
	// k included, counts wanted records: a backlog drains at Max Events Per Poll however many
	// unwanted records surround it.
	const wanted = (stream: Stream, records: ChangeRecord[]) => {
		const accept = keep[stream];
		return accept ? records.filter((r) => accept(r.raw)) : records;
	};

	function pages(
		stream: Stream,
		scope: RecordScope,
		filters: Record<string, string | undefined>,
		afterId?: string,
		pageSize?: number,
		readAhead?: ScanRequest['readAhead'],
	) {
		// Asking for fewer than a full page when only a few are needed (a burst drained `limit` at a time),
		// unless some records read are dropped (then a few wanted ones may need a full page).
		const pageLimit = keep[stream] ? fullPage : Math.min(fullPage, pageSize ?? fullPage);
		return pagesById(
			async (lastId) => {
				const { values, token, cutOff, serverTime } = await query(stream, {
					...filters,
					orderBy: 'id asc',
					limit: pageLimit,
					idGreaterThan: lastId,
				});
				// nextPageToken is absent when nothing follows (a full last page costs no extra call), or
				// when Pardot cut the sequence off (then it warns): our next page starts after the last id.
				const more = values.length >= pageLimit && (Boolean(token) || cutOff);
				const lastRaw = values[values.length - 1]?.id;
				return {
					// (A record without an id stops the read when the page is parsed.)
					lastId: lastRaw === undefined || lastRaw === null ? undefined : String(lastRaw),
					read: values.length,
					more,
					parse: () => {
						const records = parse(values, scope, stream);
						const kept = wanted(stream, records);
						return { records: kept, lastId: records[records.length - 1]?.id, dropped: records.length - kept.length, serverTime, more };
					},
				};
			},
			afterId,
			byId(stream),
			pipelined ? readAhead : undefined,
			meanwhile && ((page) => meanwhile(stream, page.records)),
		);
	}

	return {
		pageSize: fullPage,
		maxDroppedPerRead: maxDropped,
		...settling(transport.emitWhenVisible, LAG_WINDOW_MS),
		canBound: () => true,
		recycleBin: (stream) => OBJECTS[stream].v5.bin,
		bothAtOnce: true,
		localTimes: false,
		windowsInsideSecond: true,
		scan(request) {
			return pages(request.stream, request.scope, updateFilters(request), request.afterId, request.pageSize, request.readAhead);
		},
		async window(request, k): Promise<WindowRead> {
			// The oldest changes in change order are the window itself: no separate boundary query. Pages
			// follow by change time, not by nextPageToken: each next query starts at the second of the
			// last record read and skips what it already read (a few records of that second). Pardot does
			// not say whether a token is a position in the results or a key; if it is a position, a record
			// that moves out of the range between pages (updated meanwhile) would make the next page skip
			// one that was in it. A second that holds more than a page is finished by id. One more record
			// than the window holds (within its pages) tells whether its last change ends its second; a few
			// more leave room for the records of the first second read before. With records dropped as
			// read, k wanted ones may lie anywhere: full pages.
			const field = time(request.stream);
			const pageLimit = keep[request.stream] ? fullPage : Math.min(k + 1 + (request.afterId === undefined ? 0 : WINDOW_OVERLAP), fullPage);
			// A window whose k changes fill its pages exactly (k = 1,000, a page of 1,000) would need one page
			// more for the (k+1)-th: it holds one change less instead, so that its last page tells where it ends.
			// (Not where records are dropped as read: its pages hold fewer wanted ones than their size.)
			const size = keep[request.stream] ? k : Math.max(1, Math.min(k, Math.ceil(k / pageLimit) * pageLimit - 1));
			const records: ChangeRecord[] = [];
			// The key of the last record read: the window goes on after it.
			let after: { at: number; id: string } | undefined = request.afterId === undefined ? undefined : { at: request.from, id: request.afterId };
			let dropped = 0;
			let serverTime: number | undefined;
			let from = request.from;
			// The last second read by id (it held more than a page).
			let byIdAt: number | undefined;
			/** Takes records read in change order; false once the window has what it needs. */
			const take = (read: ChangeRecord[]) => {
				const kept = wanted(request.stream, read);
				dropped += read.length - kept.length;
				records.push(...kept);
				const last = read[read.length - 1];
				if (last) after = { at: last.updatedAt, id: last.id };
				return records.length <= size && dropped <= maxDropped;
			};
			for (;;) {
				const page = await query(request.stream, { ...updateFilters({ ...request, from }), orderBy: `${field} asc,id asc`, limit: pageLimit });
				serverTime ??= page.serverTime;
				const read = parse(page.values, request.scope, request.stream);
				const start = after;
				const fresh = start ? read.filter((r) => r.updatedAt > start.at || (r.updatedAt === start.at && compareIds(r.id, start.id) > 0)) : read;
				const going = take(fresh);
				if (page.values.length < pageLimit) {
					// Everything from `from` on was read.
					if (records.length <= k) return { records, serverTime };
					break;
				}
				// Past maxDropped (MAX_DROPPED_PER_READ) left-out records the window stops at the last record read.
				if (!going) break;
				// A page that never left the second where the window stands: that second holds more than a
				// page, and the next page from it would repeat this one. It is finished by id, and the window
				// goes on after it.
				const stuck = start !== undefined && read.length > 0 && read[read.length - 1].updatedAt === start.at;
				if (!fresh.length || stuck) {
					if (!after) return { records, frontier: { at: request.from }, serverTime }; // nothing readable at all
					const inside: { at: number; id: string } = after;
					byIdAt = inside.at;
					let more = true;
					for await (const byId of pages(request.stream, request.scope, updateFilters({ ...request, from: inside.at, before: inside.at + SECOND_MS }), inside.id)) {
						serverTime ??= byId.serverTime;
						// (The page has left out unwanted records already: it says how many, and the last id it read.)
						dropped += byId.dropped ?? 0;
						more = take(byId.records.filter((r) => r.updatedAt === inside.at));
						if (byId.lastId !== undefined) after = { at: inside.at, id: byId.lastId };
						if (!more) break;
					}
					if (!more) break;
					from = inside.at + SECOND_MS;
					after = undefined;
					continue;
				}
				from = after!.at;
			}
			const burstAt = (frontier: Position) => (frontier.id !== undefined && frontier.at === byIdAt ? byIdAt : undefined);
			if (records.length <= size) {
				// Stopped where it stands: at the last record read.
				const frontier = after ? { at: after.at, id: after.id } : { at: request.from };
				return { records, frontier, capped: dropped > maxDropped, burstAt: burstAt(frontier), serverTime };
			}
			const kept = records.slice(0, size);
			const last = kept[size - 1];
			const next = records[size];
			// Every change before the next one's second, or up to the k-th inside their shared second.
			const frontier = next.updatedAt > last.updatedAt ? { at: next.updatedAt } : { at: last.updatedAt, id: last.id };
			return { records: kept, frontier, burstAt: burstAt(frontier), serverTime };
		},
		async created(request) {
			// A record that changes only when created has no creation apart from its change.
			if (OBJECTS[request.stream].changeTime === 'created') return [];
			// No filter on updatedAt (request.updatedFrom): v5 may answer this query from a copy up to 60 s
			// older than the window's, which shows a record changed a moment ago in an older state, inside
			// the window; such a filter would drop it while the window had it beyond its end.
			const filters = {
				fields: fieldList(request.stream, request.scope),
				deleted: binParam(request.stream, request.scope),
				createdAtAfterOrEqualTo: iso(request.createdFrom),
				createdAtBefore: iso(request.createdTo + SECOND_MS),
				idLessThanOrEqualTo: request.upToId,
			};
			const records: ChangeRecord[] = [];
			for await (const page of pages(request.stream, request.scope, filters, request.afterId, undefined, () => true)) records.push(...page.records);
			return records;
		},
		async latest(stream, accept) {
			const { values } = await query(stream, { fields: fieldList(stream), orderBy: `${time(stream)} desc`, limit: accept ? fullPage : 1 });
			return parse(accept ? values.filter(accept) : values, 'live', stream)[0];
		},
		async serverTime(stream) {
			const { answeredAt } = await query(stream, { fields: 'id', orderBy: 'id asc', limit: 1 });
			return answeredAt;
		},
	};
}
