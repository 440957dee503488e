import type { IDataObject } from 'n8n-workflow';

import type { PardotConnection, PardotContext, TransportOptions } from './index';
import { pardotRequest } from './index';
import { lowerBoundFilter, pardotLocalToInstant, upperBoundFilter, localCandidates } from '../time';
import type { ChangeRecord, ChangeSource, ScanRequest, Stream } from './source';
import { clockAtStart, pagesById } from './source';

/**
 * API v3/v4 adapter. Prospects are filtered by `updated_after`/`updated_before` (local time of the
 * API user, strict or inclusive: both work because the cursor drops what it already emitted).
 * Opportunities have no update filter, so every poll reads them all and compares `updated_at`.
 */

const PAGE_SIZE = 200;
// Dates have one-second resolution and the Date header rounds down: 5 s covers both.
const SETTLE_MS = 5_000;

const ENTITY: Record<Stream, { path: string; key: string }> = {
	prospects: { path: 'prospect', key: 'prospect' },
	opportunities: { path: 'opportunity', key: 'opportunity' },
};

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

export function toChangeRecord(raw: IDataObject, zone: string, deleted: boolean, notBefore?: number): ChangeRecord | undefined {
	const updatedLocal = String(raw.updated_at ?? raw.created_at ?? '');
	const candidates = localCandidates(updatedLocal, zone);
	if (raw.id === undefined || candidates.length === 0) return undefined;
	const updatedAt = pardotLocalToInstant(updatedLocal, zone, notBefore) ?? candidates[0];
	const createdAt = pardotLocalToInstant(String(raw.created_at ?? updatedLocal), zone, notBefore) ?? updatedAt;
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

export function createLegacySource(
	ctx: PardotContext,
	conn: PardotConnection,
	transport: TransportOptions = {},
): ChangeSource {
	const zone = conn.timezone;
	const path = (stream: Stream) => `/api/${ENTITY[stream].path}/version/${conn.apiVersion}/do/query`;

	function filters(request: ScanRequest): Record<string, string | undefined> {
		const prospects = request.stream === 'prospects';
		return {
			format: 'json',
			deleted: request.deleted ? 'true' : undefined,
			// One second earlier than the cursor: with a strict `updated_after` the cursor's own
			// second is still included; the cursor drops what it already emitted.
			updated_after: prospects ? lowerBoundFilter(request.after - 1000, zone) : undefined,
			// The window's end is a whole second from Pardot's own dates: whether `updated_before` is
			// strict or inclusive, every change before it comes (and at most that second besides).
			updated_before: prospects && request.before !== undefined ? upperBoundFilter(request.before, zone) : undefined,
		};
	}

	async function query(stream: Stream, params: Record<string, string | number | undefined>) {
		const startedAt = Date.now();
		const response = await pardotRequest(ctx, conn, { path: path(stream), query: params }, transport);
		return { response, serverTime: clockAtStart(response.serverTime, startedAt, Date.now()), answeredAt: response.serverTime };
	}

	return {
		pageSize: PAGE_SIZE,
		settleMs: SETTLE_MS,
		canBound: (stream) => stream === 'prospects',
		scan(request) {
			return pagesById(async (afterId) => {
				const { response, serverTime } = await query(request.stream, {
					...filters(request),
					sort_by: 'id',
					sort_order: 'ascending',
					limit: PAGE_SIZE,
					id_greater_than: afterId,
				});
				const raws = recordsOf(response.body, ENTITY[request.stream].key);
				const total = totalOf(response.body);
				const records = raws
					.map((raw) => toChangeRecord(raw, zone, request.deleted, request.after))
					.filter((r): r is ChangeRecord => r !== undefined);
				// total_results counts every match of this query: when this page holds them all, no
				// further (empty) request is needed.
				const more = raws.length >= PAGE_SIZE && (total === undefined || raws.length < total);
				return { records, serverTime, total, more };
			});
		},
		async boundary(request, k) {
			if (request.stream !== 'prospects') return {};
			const { response, serverTime } = await query(request.stream, {
				...filters(request),
				sort_by: 'updated_at',
				sort_order: 'ascending',
				offset: k,
				limit: 1,
			});
			const record = recordsOf(response.body, ENTITY.prospects.key)
				.map((raw) => toChangeRecord(raw, zone, request.deleted, request.after))
				.find((r) => r !== undefined);
			return { at: record?.updatedAtMin, serverTime };
		},
		async latest(stream) {
			const { response } = await query(stream, {
				format: 'json',
				sort_by: stream === 'prospects' ? 'updated_at' : 'created_at',
				sort_order: 'descending',
				limit: 1,
			});
			const raw = recordsOf(response.body, ENTITY[stream].key)[0];
			return raw ? toChangeRecord(raw, zone, false) : undefined;
		},
		async serverTime(stream) {
			const { answeredAt } = await query(stream, { format: 'json', output: 'bulk', sort_by: 'id', limit: 1 });
			return answeredAt;
		},
	};
}
