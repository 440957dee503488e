import type { IDataObject } from 'n8n-workflow';

import type { PardotConnection, PardotContext, TransportOptions } from './index';
import { pardotRequest } from './index';
import { DEFAULT_FIELDS_V5, REQUIRED_FIELDS } from '../fields';
import { isoToInstant } from '../time';
import type { ChangeRecord, ChangeSource, ScanRequest, Stream, WindowRead } from './source';
import { clockAtStart, pagesById, SECOND_MS, secondOf } from './source';

/**
 * API v5 adapter: `objects/prospects` and `objects/opportunities`, both with `updatedAt` filters,
 * ISO dates with offsets, pages of up to 1,000. Scans page with our own `idGreaterThan` filter
 * rather than nextPageToken: it is stable under concurrent writes and never hits the
 * 100,000-record or 4-hour token limits.
 */

const PAGE_SIZE = 1000;
// Pardot documents that v5 reads may lag writes by up to 60 s; plus clock rounding.
const SETTLE_MS = 65_000;

const PATH: Record<Stream, string> = {
	prospects: '/api/v5/objects/prospects',
	opportunities: '/api/v5/objects/opportunities',
};

function iso(ms: number): string {
	// Whole seconds, UTC; the transport encodes '+' in offsets correctly (URLSearchParams).
	return new Date(secondOf(ms)).toISOString().replace('.000Z', 'Z');
}

export function toChangeRecordV5(raw: IDataObject, deleted: boolean): ChangeRecord | undefined {
	const updated = isoToInstant(String(raw.updatedAt ?? raw.createdAt ?? ''));
	if (raw.id === undefined || updated === undefined) return undefined;
	const updatedAt = secondOf(updated);
	const created = isoToInstant(String(raw.createdAt ?? ''));
	return {
		id: String(raw.id),
		createdAt: created === undefined ? updatedAt : secondOf(created),
		updatedAt,
		updatedAtMin: updatedAt,
		updatedAtMax: updatedAt,
		deleted,
		raw,
	};
}

export function createV5Source(
	ctx: PardotContext,
	conn: PardotConnection,
	fields: Partial<Record<Stream, string[]>> = {},
	transport: TransportOptions = {},
): ChangeSource {
	const fieldList = (stream: Stream) => {
		const chosen = fields[stream]?.length ? fields[stream]! : DEFAULT_FIELDS_V5[stream];
		return [...new Set([...REQUIRED_FIELDS.v5[stream], ...chosen])].join(',');
	};

	function updateFilters(request: Pick<ScanRequest, 'stream' | 'deleted' | 'from' | 'before'>) {
		return {
			fields: fieldList(request.stream),
			deleted: request.deleted ? 'true' : 'false',
			updatedAtAfterOrEqualTo: iso(request.from),
			updatedAtBefore: request.before !== undefined ? iso(request.before) : undefined,
		};
	}

	async function query(stream: Stream, params: Record<string, string | number | undefined>) {
		const startedAt = Date.now();
		const response = await pardotRequest(ctx, conn, { path: PATH[stream], query: params }, transport);
		const values = Array.isArray(response.body.values) ? (response.body.values as IDataObject[]) : [];
		const token = typeof response.body.nextPageToken === 'string' ? response.body.nextPageToken : undefined;
		return {
			values,
			token,
			serverTime: clockAtStart(response.serverTime, startedAt, Date.now()),
			answeredAt: response.serverTime,
		};
	}

	const parse = (values: IDataObject[], deleted: boolean) =>
		values.map((raw) => toChangeRecordV5(raw, deleted)).filter((r): r is ChangeRecord => r !== undefined);

	function pages(stream: Stream, deleted: boolean, filters: Record<string, string | undefined>, afterId?: string, maxRecords?: number) {
		// Asking for fewer than a full page when only a few are needed (a burst drained `limit` at a time).
		const pageLimit = Math.min(PAGE_SIZE, maxRecords ?? PAGE_SIZE);
		return pagesById(
			async (lastId) => {
				const { values, token, serverTime } = await query(stream, {
					...filters,
					orderBy: 'id asc',
					limit: pageLimit,
					idGreaterThan: lastId,
				});
				// nextPageToken is absent when nothing follows: a full last page costs no extra call.
				return { records: parse(values, deleted), serverTime, more: values.length >= pageLimit && Boolean(token) };
			},
			afterId,
			maxRecords,
		);
	}

	return {
		pageSize: PAGE_SIZE,
		settleMs: SETTLE_MS,
		canBound: () => true,
		scan(request) {
			return pages(request.stream, request.deleted, updateFilters(request), request.afterId, request.maxRecords);
		},
		async window(request, k): Promise<WindowRead> {
			// The oldest changes in change order are the window itself: no separate boundary query.
			// One more than asked (within a page) tells whether the k-th change ends its second.
			const pageLimit = Math.min(k + 1, PAGE_SIZE);
			const first = await query(request.stream, { ...updateFilters(request), orderBy: 'updatedAt asc,id asc', limit: pageLimit });
			const records = parse(first.values, request.deleted);
			let { token, values } = first;
			while (records.length <= k && values.length >= PAGE_SIZE && token) {
				// With a token Pardot accepts only `fields`; the token keeps the query and its order.
				const page = await query(request.stream, { fields: fieldList(request.stream), nextPageToken: token });
				records.push(...parse(page.values, request.deleted));
				({ token, values } = page);
			}
			const serverTime = first.serverTime;
			const complete = values.length < pageLimit || !token;
			if ((complete && records.length <= k) || records.length === 0) return { records, serverTime };
			const kept = records.slice(0, k);
			const last = kept[kept.length - 1];
			const next = records[k];
			if (next && next.updatedAt > last.updatedAt) return { records: kept, frontier: { at: next.updatedAt }, serverTime };
			// The k-th change shares its second with the next: end before that second when it holds
			// at most half the window (the next poll then needs one query), else inside it, by id.
			const inLastSecond = kept.filter((r) => r.updatedAt === last.updatedAt).length;
			const frontier = inLastSecond * 2 <= kept.length ? { at: last.updatedAt } : { at: last.updatedAt, id: last.id };
			return { records: kept, frontier, serverTime };
		},
		async created(request) {
			const filters = {
				fields: fieldList(request.stream),
				deleted: request.deleted ? 'true' : 'false',
				createdAtAfterOrEqualTo: iso(request.createdFrom),
				createdAtBefore: iso(request.createdTo + SECOND_MS),
				updatedAtAfterOrEqualTo: iso(request.updatedFrom),
				idLessThanOrEqualTo: request.upToId,
			};
			const records: ChangeRecord[] = [];
			for await (const page of pages(request.stream, request.deleted, filters, request.afterId)) records.push(...page.records);
			return records;
		},
		async latest(stream) {
			const { values } = await query(stream, { fields: fieldList(stream), orderBy: 'updatedAt desc', limit: 1 });
			return parse(values, false)[0];
		},
		async serverTime(stream) {
			const { answeredAt } = await query(stream, { fields: 'id', orderBy: 'id asc', limit: 1 });
			return answeredAt;
		},
	};
}
