import type { IDataObject } from 'n8n-workflow';

import type { PardotConnection, PardotContext, TransportOptions } from './index';
import { pardotRequest } from './index';
import { isoToInstant } from '../time';
import type { ChangeRecord, ChangeSource, ScanRequest, Stream } from './source';
import { clockAtStart, OPPORTUNITY_FIELDS_V5, pagesById, PROSPECT_FIELDS_V5, REQUIRED_FIELDS } from './source';

/**
 * API v5 adapter: `objects/prospects` and `objects/opportunities`, both with `updatedAt` filters,
 * ISO dates with offsets, pages of up to 1,000. We page with our own `idGreaterThan` filter rather
 * than nextPageToken: it is stable under concurrent writes and never hits the 100,000-record or
 * 4-hour token limits.
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
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function toChangeRecordV5(raw: IDataObject, deleted: boolean): ChangeRecord | undefined {
	const updatedAt = isoToInstant(String(raw.updatedAt ?? raw.createdAt ?? ''));
	if (raw.id === undefined || updatedAt === undefined) return undefined;
	return {
		id: String(raw.id),
		createdAt: isoToInstant(String(raw.createdAt ?? '')) ?? updatedAt,
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
		const chosen = fields[stream]?.length ? fields[stream]! : stream === 'prospects' ? PROSPECT_FIELDS_V5 : OPPORTUNITY_FIELDS_V5;
		const required = stream === 'prospects' ? REQUIRED_FIELDS.v5 : REQUIRED_FIELDS.v5.slice(0, 3);
		return [...new Set([...required, ...chosen])].join(',');
	};

	function filters(request: ScanRequest) {
		return {
			fields: fieldList(request.stream),
			deleted: request.deleted ? 'true' : 'false',
			updatedAtAfterOrEqualTo: iso(request.after),
			// Strictly before the window's end, rounded up to a whole second (iso() rounds down).
			updatedAtBefore: request.before !== undefined ? iso(request.before + 999) : undefined,
		};
	}

	async function query(stream: Stream, params: Record<string, string | number | undefined>) {
		const startedAt = Date.now();
		const response = await pardotRequest(ctx, conn, { path: PATH[stream], query: params }, transport);
		const values = Array.isArray(response.body.values) ? (response.body.values as IDataObject[]) : [];
		return {
			values,
			body: response.body,
			serverTime: clockAtStart(response.serverTime, startedAt, Date.now()),
			answeredAt: response.serverTime,
		};
	}

	return {
		pageSize: PAGE_SIZE,
		settleMs: SETTLE_MS,
		canBound: () => true,
		scan(request) {
			return pagesById(async (afterId) => {
				const { values, body, serverTime } = await query(request.stream, {
					...filters(request),
					orderBy: 'id asc',
					limit: PAGE_SIZE,
					idGreaterThan: afterId,
				});
				const records = values
					.map((raw) => toChangeRecordV5(raw, request.deleted))
					.filter((r): r is ChangeRecord => r !== undefined);
				// nextPageToken is absent when nothing follows: a full last page costs no extra call.
				const more = values.length >= PAGE_SIZE && Boolean(body.nextPageToken);
				return { records, serverTime, more };
			});
		},
		async boundary(request, k) {
			// The oldest changes in change order, in one request: they are the window itself.
			const limit = Math.min(k + 1, PAGE_SIZE);
			const { values, serverTime } = await query(request.stream, {
				...filters(request),
				orderBy: 'updatedAt asc,id asc',
				limit,
			});
			const records = values
				.map((raw) => toChangeRecordV5(raw, request.deleted))
				.filter((r): r is ChangeRecord => r !== undefined);
			if (records.length < limit) return { records, serverTime };
			const last = records.length - 1;
			return { at: records[last].updatedAt, records: records.slice(0, last), serverTime };
		},
		async latest(stream) {
			const { values } = await query(stream, { fields: fieldList(stream), orderBy: 'updatedAt desc', limit: 1 });
			return values[0] ? toChangeRecordV5(values[0], false) : undefined;
		},
		async serverTime(stream) {
			const { answeredAt } = await query(stream, { fields: 'id', orderBy: 'id asc', limit: 1 });
			return answeredAt;
		},
	};
}
