import type { IDataObject } from 'n8n-workflow';
import { DateTime } from 'luxon';

import type { PardotApi } from './client';
import { legacyRecords } from './client';

/**
 * Get Many, paged as Pardot advises: v5 follows `nextPageToken` (with a token only `fields` may be sent);
 * v3/v4 sort by id and ask for the ids after the last one read (`id_greater_than`), never by offset, so
 * records written while paging are neither skipped nor repeated.
 */

export interface QuerySpec {
	/** v5 object path (`prospects`, `list-memberships`...). */
	v5Object: string;
	v5Fields: string[];
	/** v5 filters, e.g. `{ updatedAtAfter: '2026-...' }`. */
	v5Filters?: Record<string, string | number | undefined>;
	/** v3/v4 object (`prospect`, `listMembership`...) and the key its records come under. */
	legacyObject: string;
	legacyKey: string;
	legacyCriteria?: Record<string, string | number | undefined>;
	/** v3/v4 `fields` (prospects only take it). */
	legacyFields?: string[];
	/** At most this many records (undefined: all). */
	limit?: number;
	/** Records the API cannot filter out that the user does not want (they do not count towards the limit). */
	keep?: (record: IDataObject) => boolean;
}

const V5_PAGE = 1000;
const LEGACY_PAGE = 200;

export async function queryAll(api: PardotApi, spec: QuerySpec): Promise<IDataObject[]> {
	return api.family === 'v5' ? await queryV5(api, spec) : await queryLegacy(api, spec);
}

async function queryV5(api: PardotApi, spec: QuerySpec): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	const wanted = spec.limit ?? Infinity;
	const fields = spec.v5Fields.join(',');
	let query: Record<string, string | number | undefined> = {
		fields,
		limit: spec.keep || !Number.isFinite(wanted) ? V5_PAGE : Math.min(V5_PAGE, wanted),
		orderBy: 'id asc',
		...spec.v5Filters,
	};
	for (;;) {
		const { body } = await api.v5('GET', spec.v5Object, { query });
		const values = Array.isArray(body.values) ? (body.values as IDataObject[]) : [];
		out.push(...values.filter(spec.keep ?? (() => true)).slice(0, wanted - out.length));
		const token = typeof body.nextPageToken === 'string' && body.nextPageToken ? body.nextPageToken : undefined;
		if (out.length >= wanted || !token || values.length === 0) return out;
		query = { fields, nextPageToken: token };
	}
}

async function queryLegacy(api: PardotApi, spec: QuerySpec): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	const wanted = spec.limit ?? Infinity;
	let after: number | undefined;
	for (;;) {
		const limit = spec.keep ? LEGACY_PAGE : Math.min(LEGACY_PAGE, wanted - out.length);
		const { body } = await api.request({
			method: 'POST',
			path: `/api/${spec.legacyObject}/version/${api.conn.apiVersion}/do/query`,
			body: {
				form: defined({
					format: 'json',
					sort_by: 'id',
					sort_order: 'ascending',
					limit,
					id_greater_than: after,
					fields: spec.legacyFields?.join(','),
					...spec.legacyCriteria,
				}),
			},
		});
		const records = legacyRecords(body, spec.legacyKey);
		out.push(...records.filter(spec.keep ?? (() => true)).slice(0, wanted - out.length));
		const last = Number(records[records.length - 1]?.id);
		if (out.length >= wanted || records.length < limit || !Number.isFinite(last) || (after !== undefined && last <= after)) return out;
		after = last;
	}
}

function defined(values: Record<string, string | number | undefined>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') out[k] = String(v);
	return out;
}

/** An instant as a filter value: v5 ISO 8601 with offset; v3/v4 the account's local time (no offset). */
export function timeFilter(api: PardotApi, value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const parsed = value instanceof Date ? DateTime.fromJSDate(value) : DateTime.fromISO(String(value), { setZone: true });
	if (!parsed.isValid) return undefined;
	if (api.family === 'v5') return parsed.toUTC().toISO({ suppressMilliseconds: true }) ?? undefined;
	return parsed.setZone(api.conn.timezone || 'UTC').toFormat('yyyy-LL-dd HH:mm:ss');
}
