import type { IDataObject } from 'n8n-workflow';

import type { PardotConnection, PardotContext } from './connection';
import { changeRecords, timedQuery } from './query';
import type { TransportOptions } from './request';
import { DEFAULT_FIELDS_V5, REQUIRED_FIELDS } from './fields';
import type { ChangeTime } from './objects';
import { OBJECTS, TIME_FIELD } from './objects';
import { isoToInstant } from '../time';
import type { Bin, ChangeRecord, ChangeSource, ScanRequest, Stream, WindowRead } from './source';
import { MAX_DROPPED_PER_READ, pagesById, SECOND_MS, secondOf } from './source';

/**
 * API v5 adapter, one for every object (`objects/<path>`, objects.ts): filters and sorts on the
 * change time (`updatedAt`, or `createdAt` for visitor activities), ISO dates with offsets, pages of
 * up to 1,000. Scans page with our own `idGreaterThan` filter rather than nextPageToken: it is stable
 * under concurrent writes and never hits the 100,000-record or 4-hour token limits.
 */

const PAGE_SIZE = 1000;
// Pardot documents that v5 reads may lag writes by up to 60 s; plus clock rounding.
const SETTLE_MS = 65_000;

const pathOf = (stream: Stream) => `/api/v5/objects/${OBJECTS[stream].v5.path}`;

function iso(ms: number): string {
	// Whole seconds, UTC; the transport encodes '+' in offsets correctly (URLSearchParams).
	return new Date(secondOf(ms)).toISOString().replace('.000Z', 'Z');
}

export function toChangeRecordV5(raw: IDataObject, deleted: Bin, changeTime: ChangeTime = 'updated'): ChangeRecord | undefined {
	// A record Pardot never changes (a visitor activity) changes when it is created.
	const updated = isoToInstant(String((changeTime === 'created' ? raw.createdAt : raw.updatedAt) ?? raw.createdAt ?? ''));
	if (raw.id === undefined || updated === undefined) return undefined;
	const updatedAt = secondOf(updated);
	const created = isoToInstant(String(raw.createdAt ?? ''));
	return {
		id: String(raw.id),
		createdAt: created === undefined ? updatedAt : secondOf(created),
		updatedAt,
		updatedAtMin: updatedAt,
		updatedAtMax: updatedAt,
		// With deleted=all each record says where it is.
		deleted: deleted === 'all' ? raw.isDeleted === true : deleted,
		raw,
	};
}

/** The v5 `deleted` parameter for a read. */
const deletedParam = (deleted: Bin) => (deleted === 'all' ? 'all' : deleted ? 'true' : 'false');

export function createV5Source(
	ctx: PardotContext,
	conn: PardotConnection,
	fields: Partial<Record<Stream, string[]>> = {},
	transport: TransportOptions = {},
	keep: Partial<Record<Stream, (raw: IDataObject) => boolean>> = {},
): ChangeSource {
	const fieldList = (stream: Stream, deleted: Bin = false) => {
		const chosen = fields[stream]?.length ? fields[stream]! : DEFAULT_FIELDS_V5[stream];
		return [...new Set([...REQUIRED_FIELDS.v5[stream], ...(deleted === 'all' ? ['isDeleted'] : []), ...chosen])].join(',');
	};
	const time = (stream: Stream) => TIME_FIELD[OBJECTS[stream].changeTime].v5;
	// `deleted` exists only for objects that go to the recycle bin (v5 overview).
	const binParam = (stream: Stream, deleted: Bin) => (OBJECTS[stream].v5.bin === 'none' ? undefined : deletedParam(deleted));

	function updateFilters(request: Pick<ScanRequest, 'stream' | 'deleted' | 'from' | 'before'>) {
		const field = time(request.stream);
		return {
			fields: fieldList(request.stream, request.deleted),
			deleted: binParam(request.stream, request.deleted),
			[`${field}AfterOrEqualTo`]: iso(request.from),
			[`${field}Before`]: request.before !== undefined ? iso(request.before) : undefined,
		};
	}

	async function query(stream: Stream, params: Record<string, string | number | undefined>) {
		const { response, serverTime, answeredAt } = await timedQuery(ctx, conn, pathOf(stream), params, transport);
		const values = Array.isArray(response.body.values) ? (response.body.values as IDataObject[]) : [];
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

	const parse = (values: IDataObject[], deleted: Bin, stream: Stream) =>
		changeRecords(values, (raw) => toChangeRecordV5(raw, deleted, OBJECTS[stream].changeTime));
	// Records the workflow does not want and v5 cannot leave out on its side (activity types: v5
	// documents no type filter) are dropped as they are read, so every count below, the window's
	// k included, counts wanted records: a backlog drains at Max Events Per Poll however many
	// unwanted records surround it.
	const wanted = (stream: Stream, records: ChangeRecord[]) => {
		const accept = keep[stream];
		return accept ? records.filter((r) => accept(r.raw)) : records;
	};

	function pages(stream: Stream, deleted: Bin, filters: Record<string, string | undefined>, afterId?: string, pageSize?: number) {
		// Asking for fewer than a full page when only a few are needed (a burst drained `limit` at a time),
		// unless some records read are dropped (then a few wanted ones may need a full page).
		const pageLimit = keep[stream] ? PAGE_SIZE : Math.min(PAGE_SIZE, pageSize ?? PAGE_SIZE);
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
				const records = parse(values, deleted, stream);
				const kept = wanted(stream, records);
				return {
					records: kept,
					lastId: records[records.length - 1]?.id,
					dropped: records.length - kept.length,
					serverTime,
					more: values.length >= pageLimit && (Boolean(token) || cutOff),
				};
			},
			afterId,
		);
	}

	return {
		pageSize: PAGE_SIZE,
		settleMs: SETTLE_MS,
		canFilter: () => true,
		canBound: () => true,
		recycleBin: (stream) => OBJECTS[stream].v5.bin,
		bothAtOnce: true,
		localTimes: false,
		scan(request) {
			return pages(request.stream, request.deleted, updateFilters(request), request.afterId, request.pageSize);
		},
		async window(request, k): Promise<WindowRead> {
			// The oldest changes in change order are the window itself: no separate boundary query.
			// One more than asked (within a page) tells whether the k-th change ends its second.
			// With records dropped as read, k wanted ones may lie anywhere in the pages: read full pages.
			const pageLimit = keep[request.stream] ? PAGE_SIZE : Math.min(k + 1, PAGE_SIZE);
			const first = await query(request.stream, { ...updateFilters(request), orderBy: `${time(request.stream)} asc,id asc`, limit: pageLimit });
			const firstRead = parse(first.values, request.deleted, request.stream);
			let lastRead: ChangeRecord | undefined = firstRead[firstRead.length - 1];
			const records = wanted(request.stream, firstRead);
			let dropped = firstRead.length - records.length;
			let { token, values, cutOff } = first;
			// Past MAX_DROPPED_PER_READ left-out records the window stops early: it ends at the last record read.
			while (records.length <= k && values.length >= PAGE_SIZE && token && dropped <= MAX_DROPPED_PER_READ) {
				// With a token Pardot accepts only `fields`; the token keeps the query and its order.
				const page = await query(request.stream, { fields: fieldList(request.stream, request.deleted), nextPageToken: token });
				const read = parse(page.values, request.deleted, request.stream);
				lastRead = read[read.length - 1] ?? lastRead;
				const kept = wanted(request.stream, read);
				dropped += read.length - kept.length;
				records.push(...kept);
				({ token, values, cutOff } = page);
			}
			const serverTime = first.serverTime;
			const complete = !cutOff && (values.length < pageLimit || !token);
			if (complete && records.length <= k) return { records, serverTime };
			if (records.length <= k) {
				// Cut off before k: the window ends at the last record read (wanted or not), exactly.
				if (!lastRead) return { records, serverTime };
				return { records, frontier: { at: lastRead.updatedAt, id: lastRead.id }, serverTime };
			}
			const kept = records.slice(0, k);
			const last = kept[kept.length - 1];
			const next = records[k];
			if (next && next.updatedAt > last.updatedAt) return { records: kept, frontier: { at: next.updatedAt }, serverTime };
			// The k-th change shares its second with the next: end before that second when it holds
			// at most half the window (the next poll then needs one query), else inside it, by id.
			const inLastSecond = kept.filter((r) => r.updatedAt === last.updatedAt).length;
			const lastSecondIsSmall = inLastSecond <= kept.length / 2;
			const frontier = lastSecondIsSmall ? { at: last.updatedAt } : { at: last.updatedAt, id: last.id };
			return { records: kept, frontier, serverTime };
		},
		async created(request) {
			// A record that changes only when created has no creation apart from its change.
			if (OBJECTS[request.stream].changeTime === 'created') return [];
			// No filter on updatedAt (request.updatedFrom): v5 may answer this query from a copy up to 60 s
			// older than the window's, which shows a record changed a moment ago in an older state, inside
			// the window; such a filter would drop it while the window had it beyond its end.
			const filters = {
				fields: fieldList(request.stream, request.deleted),
				deleted: binParam(request.stream, request.deleted),
				createdAtAfterOrEqualTo: iso(request.createdFrom),
				createdAtBefore: iso(request.createdTo + SECOND_MS),
				idLessThanOrEqualTo: request.upToId,
			};
			const records: ChangeRecord[] = [];
			for await (const page of pages(request.stream, request.deleted, filters, request.afterId)) records.push(...page.records);
			return records;
		},
		async latest(stream, accept) {
			const { values } = await query(stream, { fields: fieldList(stream), orderBy: `${time(stream)} desc`, limit: accept ? PAGE_SIZE : 1 });
			return parse(accept ? values.filter(accept) : values, false, stream)[0];
		},
		async serverTime(stream) {
			const { answeredAt } = await query(stream, { fields: 'id', orderBy: 'id asc', limit: 1 });
			return answeredAt;
		},
	};
}
