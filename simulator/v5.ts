/**
 * Pardot API v5: `GET /api/v5/objects/<object>` (prospects, opportunities, visitor-activities,
 * list-memberships, lists, campaigns, visitors) with fields, filters, orderBy, deleted and page tokens.
 */
import { randomBytes } from 'node:crypto';

import { authenticateV5 } from './auth';
import type { HandlerState, RequestContext } from './context';
import { PardotError } from './errors';
import { jsonReply, type Reply } from './render';
import { OBJECTS } from './objects';
import type { V5PageState } from './sessions';
import type { View } from './store';
import { badRequest, parseFields, renderV5 } from './v5-fields';
import { parseIsoWithOffset, toSecond } from './time';
import type { RecordType, SimulatorConfig } from './types';

type KeyField = 'id' | 'createdAt' | 'updatedAt';
type Op = 'gt' | 'gte' | 'lt' | 'lte';

// v5 error codes for parameter problems are not documented one by one; these reuse the v3/v4 numbers.
const bad = badRequest;

/** Filter parameters: `<field><operator>` for each filterable field (v5 object reference). */
const OPERATORS: Record<string, Op> = {
	GreaterThan: 'gt',
	GreaterThanOrEqualTo: 'gte',
	LessThan: 'lt',
	LessThanOrEqualTo: 'lte',
	After: 'gt',
	AfterOrEqualTo: 'gte',
	Before: 'lt',
	BeforeOrEqualTo: 'lte',
};

/**
 * What each object lets a query filter and sort on, by default (Account Engagement API v5 object
 * reference; see README.md and docs/pardot-objects.md for the sources). Every object takes `id`,
 * `createdAt` and `updatedAt`; for campaigns and visitors that is unconfirmed, and the switches
 * v5CampaignDateQueries / v5VisitorDateQueries narrow them to `id` (v5QueryOf).
 */
export const V5_QUERY: Record<RecordType, { filters: KeyField[]; sorts: KeyField[] }> = {
	prospect: { filters: ['id', 'createdAt', 'updatedAt'], sorts: ['id', 'createdAt', 'updatedAt'] },
	opportunity: { filters: ['id', 'createdAt', 'updatedAt'], sorts: ['id', 'createdAt', 'updatedAt'] },
	visitorActivity: { filters: ['id', 'createdAt', 'updatedAt'], sorts: ['id', 'createdAt', 'updatedAt'] },
	listMembership: { filters: ['id', 'createdAt', 'updatedAt'], sorts: ['id', 'createdAt', 'updatedAt'] },
	list: { filters: ['id', 'createdAt', 'updatedAt'], sorts: ['id', 'createdAt', 'updatedAt'] },
	campaign: { filters: ['id', 'createdAt', 'updatedAt'], sorts: ['id', 'createdAt', 'updatedAt'] },
	visitor: { filters: ['id', 'createdAt', 'updatedAt'], sorts: ['id', 'createdAt', 'updatedAt'] },
	user: { filters: ['id', 'createdAt', 'updatedAt'], sorts: ['id', 'createdAt', 'updatedAt'] },
};

/** Equality filters beyond the key fields, each behind the switch that says whether Pardot has it. */
interface MatchFilter {
	param: string;
	key: string;
	/** Comma-separated values allowed. */
	list: boolean;
	enabled: (config: Readonly<SimulatorConfig>) => boolean;
}

export const V5_MATCH_FILTERS: Partial<Record<RecordType, MatchFilter[]>> = {
	visitorActivity: [
		{ param: 'type', key: 'type', list: true, enabled: (c) => c.v5ActivityTypeFilter },
		{ param: 'prospectId', key: 'prospectId', list: false, enabled: (c) => c.v5ActivityProspectFilter },
	],
	listMembership: [
		{ param: 'listId', key: 'listId', list: false, enabled: (c) => c.v5MembershipFilters },
		{ param: 'prospectId', key: 'prospectId', list: false, enabled: (c) => c.v5MembershipFilters },
	],
};

/** The filters and sorts an object's query takes under the current switches. */
function v5QueryOf(type: RecordType, config: Readonly<SimulatorConfig>): { filters: KeyField[]; sorts: KeyField[]; match: MatchFilter[] } {
	const idOnly = (type === 'campaign' && !config.v5CampaignDateQueries) || (type === 'visitor' && !config.v5VisitorDateQueries);
	const base = V5_QUERY[type];
	return {
		filters: idOnly ? ['id'] : base.filters,
		sorts: idOnly ? ['id'] : base.sorts,
		match: (V5_MATCH_FILTERS[type] ?? []).filter((m) => m.enabled(config)),
	};
}

function filtersOf(filterable: KeyField[]): Record<string, { field: KeyField; op: Op }> {
	const out: Record<string, { field: KeyField; op: Op }> = {};
	for (const field of filterable) {
		const names = field === 'id' ? ['GreaterThan', 'GreaterThanOrEqualTo', 'LessThan', 'LessThanOrEqualTo'] : ['After', 'AfterOrEqualTo', 'Before', 'BeforeOrEqualTo'];
		for (const name of names) out[`${field}${name}`] = { field, op: OPERATORS[name] };
	}
	return out;
}

/** Pardot-Warning text for a token sequence cut off at its record limit (v5 overview). */
export const PAGE_LIMIT_WARNING = 'Record count for nextPageToken sequence has been exceeded. No page token returned.';

const MAX_FILTER_FIELDS = 3;

/** Sort key of a record (Pardot keeps seconds). */
function keyValue(v: View, field: KeyField): number {
	if (field === 'id') return v.id;
	return toSecond(field === 'createdAt' ? v.createdAt : v.updatedAt);
}

function compareKeys(a: number[], b: number[], order: V5PageState['order']): number {
	for (let i = 0; i < order.length; i++) {
		if (a[i] !== b[i]) return (a[i] < b[i] ? -1 : 1) * (order[i].desc ? -1 : 1);
	}
	return 0;
}

function newQuery(type: RecordType, q: URLSearchParams, config: Readonly<SimulatorConfig>): V5PageState {
	const caps = v5QueryOf(type, config);
	const FILTERS = filtersOf(caps.filters);
	const sortable: string[] = caps.sorts;
	const bin = OBJECTS[type].recycleBin;
	const allowedParams = new Set(['fields', 'limit', 'orderBy', ...(bin ? ['deleted'] : []), ...Object.keys(FILTERS), ...caps.match.map((m) => m.param)]);
	for (const name of q.keys()) {
		if (name === 'deleted' && !bin) {
			throw bad(`Unknown parameter: deleted (${OBJECTS[type].label} have no recycle bin)`);
		}
		if (!allowedParams.has(name)) throw bad(`Unknown parameter: ${name}`);
	}
	const fields = parseFields(type, q.get('fields'));

	const limitRaw = q.get('limit');
	let limit = 200;
	if (limitRaw !== null) {
		if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 1000) {
			throw bad('Invalid value specified for limit: it must be an integer from 1 to 1000', 23);
		}
		limit = Number(limitRaw);
	}

	const order: V5PageState['order'] = [];
	const orderRaw = q.get('orderBy');
	if (orderRaw !== null) {
		for (const part of orderRaw.split(',')) {
			const m = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(part);
			if (!m || !sortable.includes(m[1])) {
				throw bad(`Invalid orderBy: ${part.trim() || '(empty)'}; allowed fields are ${sortable.join(', ')}`);
			}
			if (order.some((o) => o.field === m[1])) throw bad(`Invalid orderBy: ${m[1]} appears twice`);
			order.push({ field: m[1] as KeyField, desc: (m[2] ?? 'asc').toLowerCase() === 'desc' });
		}
	}
	// id breaks ties so every record has one place in the order (keyset paging relies on it).
	if (!order.some((o) => o.field === 'id')) order.push({ field: 'id', desc: false });

	const deletedRaw = q.get('deleted');
	if (deletedRaw !== null && !['true', 'false', 'all'].includes(deletedRaw)) {
		throw bad('Invalid value for deleted: use true, false or all');
	}

	const filters: V5PageState['filters'] = [];
	for (const [name, def] of Object.entries(FILTERS)) {
		const raw = q.get(name);
		if (raw === null) continue;
		let value: number | null;
		if (def.field === 'id') value = /^-?\d+$/.test(raw) ? Number(raw) : null;
		else value = parseIsoWithOffset(raw);
		if (value === null) {
			throw bad(
				def.field === 'id'
					? `Invalid value for ${name}: ${raw}`
					: `Invalid value for ${name}: ${raw} (ISO 8601 with a time zone offset; send "+" as %2B)`,
			);
		}
		filters.push({ field: def.field, op: def.op, value });
	}
	if (new Set(filters.map((x) => x.field)).size > MAX_FILTER_FIELDS) {
		throw bad(`At most ${MAX_FILTER_FIELDS} fields may be filtered on`);
	}
	const match: V5PageState['match'] = [];
	for (const def of caps.match) {
		const raw = q.get(def.param);
		if (raw === null) continue;
		const parts = def.list ? raw.split(',') : [raw];
		const values = parts.map((part) => (/^\s*\d+\s*$/.test(part) ? Number(part) : NaN));
		if (values.some((v) => Number.isNaN(v))) {
			throw bad(`Invalid value for ${def.param}: ${raw} (${def.list ? 'comma-separated integers' : 'an integer'})`);
		}
		match.push({ key: def.key, values });
	}
	return {
		type,
		fields,
		order,
		filters,
		match,
		deleted: (deletedRaw ?? 'false') as V5PageState['deleted'],
		limit,
		paging: config.v5PageTokens,
		after: [],
		returned: 0,
		expiresAt: 0,
	};
}

export function v5Query(sim: HandlerState, ctx: RequestContext, type: RecordType): Reply {
	if (ctx.method !== 'GET') throw new PardotError(60, 405, 'Invalid HTTP request method');
	authenticateV5(sim, ctx);
	sim.chargeApiCall();

	const q = ctx.query;
	const now = sim.now();
	let state: V5PageState;
	const token = q.get('nextPageToken');
	if (token !== null) {
		for (const name of q.keys()) {
			// With a page token the query is fixed; only `fields` may accompany it.
			if (name !== 'nextPageToken' && name !== 'fields') {
				throw bad(`nextPageToken cannot be combined with ${name}: only fields may be sent with it`);
			}
		}
		const saved = sim.sessions.v5Pages.get(token);
		if (!saved || saved.type !== type) throw bad('Invalid nextPageToken');
		if (saved.expiresAt <= now) throw bad('The nextPageToken has expired; start the query again');
		state = { ...saved, fields: q.has('fields') ? parseFields(type, q.get('fields')) : saved.fields };
	} else {
		state = newQuery(type, q, sim.config);
	}

	// Reads lag writes: the store is seen as it was some time ago (v5LagModel: fixed or a cache), and
	// late writes (lateWriteShare) only once visible.
	const visible = sim.store.asOf(type, now - sim.v5Staleness(), true);
	const keyOf = (v: View) => state.order.map((o) => keyValue(v, o.field));
	const matches = visible
		.filter((v) => (state.deleted === 'all' ? true : v.deleted === (state.deleted === 'true')))
		.filter((v) => state.match.every((m) => m.values.includes(v.fields[m.key] as number)))
		// Type 5 (Session) activities are never returned by queries (docs-2021, for v3/v4; assumed for v5).
		.filter((v) => type !== 'visitorActivity' || v.fields.type !== 5)
		.filter((v) =>
			state.filters.every((flt) => {
				const value = keyValue(v, flt.field);
				switch (flt.op) {
					case 'gt':
						return value > flt.value;
					case 'gte':
						return value >= flt.value;
					case 'lt':
						return value < flt.value;
					default:
						return value <= flt.value;
				}
			}),
		)
		.map((v) => ({ v, key: keyOf(v) }));
	// What is left of the sequence, in order. Keyset: strictly after the last (sort key, id) returned,
	// so concurrent writes never shift pages. Offset (v5PageTokens): the query as it matches now, less
	// as many records as were returned before, so a record that left the range before this point makes
	// the page skip one and a record that entered it makes it repeat one (Pardot documents neither).
	const byOrder = (a: { key: number[] }, b: { key: number[] }) => compareKeys(a.key, b.key, state.order);
	const rest =
		state.paging === 'offset'
			? matches.sort(byOrder).slice(state.returned)
			: matches.filter((x) => state.after.length === 0 || compareKeys(x.key, state.after, state.order) > 0).sort(byOrder);

	const room = Math.max(0, sim.config.v5MaxRecordsPerQuery - state.returned);
	const page = rest.slice(0, Math.min(state.limit, room));
	const returned = state.returned + page.length;
	let nextPageToken: string | null = null;
	let nextPageUrl: string | null = null;
	// A token only when more records remain, and never past the per-sequence cap.
	if (rest.length > page.length && page.length > 0 && returned < sim.config.v5MaxRecordsPerQuery) {
		if (sim.sessions.v5Pages.size > 10_000) {
			for (const [t, saved] of sim.sessions.v5Pages) if (saved.expiresAt <= now) sim.sessions.v5Pages.delete(t);
		}
		nextPageToken = randomBytes(24).toString('base64url');
		sim.sessions.v5Pages.set(nextPageToken, {
			...state,
			after: page[page.length - 1].key,
			returned,
			expiresAt: now + sim.config.v5PageTokenLifetimeMs,
		});
		nextPageUrl = `${ctx.origin}/api/v5/objects/${OBJECTS[type].v5Path}?nextPageToken=${encodeURIComponent(nextPageToken)}`;
	}
	// The sequence stops at its record limit although records remain: Pardot says so in a header.
	const headers: Record<string, string> = {};
	if (rest.length > page.length && returned >= sim.config.v5MaxRecordsPerQuery) {
		headers['Pardot-Warning'] = `${sim.config.v5PageLimitWarningCode};${PAGE_LIMIT_WARNING}`;
	}
	return jsonReply(
		200,
		{
			values: page.map((x) => renderV5(sim, x.v, state.fields)),
			nextPageToken,
			nextPageUrl,
		},
		headers,
	);
}
