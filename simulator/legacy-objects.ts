/**
 * What each object's v3/v4 `do/query` accepts and answers: its documented parameters, sort options,
 * date criteria, limit rule, object-specific criteria and record rendering. The request pipeline
 * (authentication, paging, order, envelope) is legacy.ts. Sources: docs/pardot-api-notes.md
 * (prospects, opportunities) and docs/pardot-objects.md (the others).
 */
import type { HandlerState } from './context';
import { PardotError } from './errors';
import { OBJECTS, fieldSpecs } from './objects';
import type { View } from './store';
import { renderLocal, toSecond } from './time';
import type { RecordType } from './types';

export interface SortSpec {
	key: string;
	defaultOrder: 'ascending' | 'descending';
	value: (v: View) => number | string;
}

export interface DateFilter {
	param: string;
	value: (v: View) => number | null;
	after: boolean;
}

/** Reads a parameter the object documents (null when absent or, with legacyUnknownParams 'ignore', undocumented). */
export type Get = (name: string) => string | null;

export interface LegacyObject {
	/**
	 * Documented search criteria (plus `prospect_id` on list memberships: undocumented, accepted in
	 * practice). `deleted` among them means the recycle bin is readable; opportunities get it from
	 * legacyOpportunityDeleted (legacy.ts).
	 */
	criteria: string[];
	/** Documented result-set parameters (`limit`, `offset`, `output`, `sort_by`, `sort_order`, `fields`...). */
	resultSet: string[];
	sorts: SortSpec[];
	dateFilters: DateFilter[];
	/** `output` values besides `full` (the default). */
	outputs: string[];
	/** A `limit` above 200: error 23, or silently 200 (lists, list memberships, campaigns: "200 will be used"). */
	limitOver200: 'error' | 'cap';
	/** `output=mobile` returns every match ("this limit is not enforced for responses formatted for mobile devices"). */
	mobileUncapped: boolean;
	/** Object-specific criteria: checks them (Pardot's error codes) and answers the record filters. */
	filters: (sim: HandlerState, get: Get) => Array<(v: View) => boolean>;
	render: (sim: HandlerState, view: View, output: string, fields: string[] | null) => Record<string, unknown>;
}

// ----- shared pieces -----

const NULL_LOW = Number.NEGATIVE_INFINITY;
const numOr = (value: unknown) => (typeof value === 'number' ? value : NULL_LOW);
const textOf = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : '');

const created = { key: 'created_at', defaultOrder: 'descending', value: (v: View) => toSecond(v.createdAt) } as const;
const byId = { key: 'id', defaultOrder: 'ascending', value: (v: View) => v.id } as const;
const updated = { key: 'updated_at', defaultOrder: 'descending', value: (v: View) => toSecond(v.updatedAt) } as const;
const byField = (key: string, field: string, defaultOrder: 'ascending' | 'descending', text = false): SortSpec => ({
	key,
	defaultOrder,
	value: (v) => (text ? textOf(v.fields[field]) : numOr(v.fields[field])),
});

const CREATED_FILTERS: DateFilter[] = [
	{ param: 'created_after', value: (v) => v.createdAt, after: true },
	{ param: 'created_before', value: (v) => v.createdAt, after: false },
];
const CHANGE_FILTERS: DateFilter[] = [
	...CREATED_FILTERS,
	{ param: 'updated_after', value: (v) => v.updatedAt, after: true },
	{ param: 'updated_before', value: (v) => v.updatedAt, after: false },
];
const DATE_CRITERIA = ['created_after', 'created_before', 'updated_after', 'updated_before'];
const ID_CRITERIA = ['id_greater_than', 'id_less_than'];

export function parseInteger(raw: string | null, code: number): number | null {
	if (raw === null) return null;
	const text = raw.trim();
	if (!/^-?\d+$/.test(text)) throw new PardotError(code);
	return Number(text);
}

function parseNumber(raw: string | null, code: number): number | null {
	if (raw === null) return null;
	const text = raw.trim();
	if (!/^-?\d+(\.\d+)?$/.test(text)) throw new PardotError(code);
	return Number(text);
}

/** `true`/`false` (Pardot: "make sure to use lowercase"), else the given error (50 "Invalid boolean" by default). */
function parseBoolean(raw: string | null, code = 50): boolean | null {
	if (raw === null) return null;
	const text = raw.trim();
	if (text !== 'true' && text !== 'false') throw new PardotError(code);
	return text === 'true';
}

/** Comma-separated positive integers (no spaces, Pardot's docs); anything else is error 16, "Invalid ID". */
function parseIds(raw: string | null, code = 16): number[] | null {
	if (raw === null) return null;
	const parts = raw.split(',').map((s) => s.trim());
	if (parts.some((s) => !/^\d+$/.test(s))) throw new PardotError(code);
	return parts.map(Number);
}

const has = (v: View, key: string) => v.fields[key] !== null && v.fields[key] !== undefined;
const dates = (sim: HandlerState, v: View) => ({
	created_at: renderLocal(v.createdAt, sim.zone),
	updated_at: renderLocal(v.updatedAt, sim.zone),
});

/** A boolean field as legacyBooleans says: true/false as in Pardot's examples, or 1/0 as its field tables say. */
function legacyBoolean(sim: HandlerState, value: unknown): unknown {
	if (typeof value !== 'boolean') return value ?? null;
	return sim.config.legacyBooleans === 'integer' ? (value ? 1 : 0) : value;
}

/** Every field with a v3/v4 name, in table order (booleans per legacyBooleans, dates in the account zone). */
function plainFields(sim: HandlerState, view: View, omitNull = false): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const spec of fieldSpecs(view.type)) {
		if (!spec.legacy) continue;
		const value = view.fields[spec.key];
		if (omitNull && (value === null || value === undefined)) continue;
		if (spec.kind === 'date' && typeof value === 'number') out[spec.legacy] = renderLocal(value, sim.zone);
		else if (spec.kind === 'boolean') out[spec.legacy] = legacyBoolean(sim, value);
		else out[spec.legacy] = value ?? null;
	}
	return out;
}

/** A prospect's `<assigned_to><user>...</user></assigned_to>` (docs-2020: the assigned user's id, email, names, job title, role). */
function nestedUser(sim: HandlerState, id: number): Record<string, unknown> {
	const user = sim.store.find('user', id);
	return { user: user ? { id, ...plainFields(sim, user) } : { id } };
}

/** `fields=a,b`: those fields only, and always the id (Pardot's docs); names the object lacks are left out. */
function pick(out: Record<string, unknown>, id: number, fields: string[]): Record<string, unknown> {
	const picked: Record<string, unknown> = { id };
	for (const name of fields) if (name !== 'id' && name in out) picked[name] = out[name];
	return picked;
}

/** A nested `<campaign>`: its name from the campaign record when there is one. */
function nestedCampaign(sim: HandlerState, id: number): { id: number; name: string } {
	const campaign = sim.store.find('campaign', id);
	const name = typeof campaign?.fields.name === 'string' ? campaign.fields.name : `Campaign ${id}`;
	return { id, name };
}

/** A prospect in mobile format (what nested prospects look like). */
function mobileProspect(p: View): Record<string, unknown> {
	return {
		id: p.id,
		first_name: p.fields.firstName ?? null,
		last_name: p.fields.lastName ?? null,
		email: p.fields.email ?? null,
		company: p.fields.company ?? null,
	};
}

// ----- prospects and opportunities -----

function lastActivity(v: View): number | null {
	return typeof v.fields.lastActivityAt === 'number' ? v.fields.lastActivityAt : null;
}

/** Grades from lowest to highest (Pardot's documented options). */
const GRADES = ['F', 'D-', 'D', 'D+', 'C-', 'C', 'C+', 'B-', 'B', 'B+', 'A-', 'A', 'A+'];

/** Documented prospect criteria that need data the simulator does not model (answered with HTTP 501). */
export const UNSIMULATED = ['assigned', 'assigned_to_user', 'is_starred', 'list_id', 'new'];

/**
 * The `_equal_to` / `_greater_than` / `_less_than` criteria on one numeric field, with Pardot's
 * errors: an unreadable value, an inverted range, equal_to combined with a range.
 */
function rangeFilter(
	get: Get,
	name: string,
	value: (v: View) => number | null,
	parse: (raw: string | null) => number | null,
	codes: { range: number; combination?: number },
): Array<(v: View) => boolean> {
	const eq = parse(get(`${name}_equal_to`));
	const gt = parse(get(`${name}_greater_than`));
	const lt = parse(get(`${name}_less_than`));
	if (eq !== null && (gt !== null || lt !== null) && codes.combination) throw new PardotError(codes.combination);
	if (gt !== null && lt !== null && gt > lt) throw new PardotError(codes.range);
	const out: Array<(v: View) => boolean> = [];
	const known = (v: View) => value(v) !== null;
	if (eq !== null) out.push((v) => known(v) && value(v) === eq);
	if (gt !== null) out.push((v) => known(v) && value(v)! > gt);
	if (lt !== null) out.push((v) => known(v) && value(v)! < lt);
	return out;
}

function numberField(key: string) {
	return (v: View) => (typeof v.fields[key] === 'number' ? (v.fields[key] as number) : null);
}

function prospectFilters(_sim: HandlerState, get: Get): Array<(v: View) => boolean> {
	const filters: Array<(v: View) => boolean> = [];
	filters.push(...rangeFilter(get, 'score', numberField('score'), (raw) => parseInteger(raw, 29), { range: 30, combination: 31 }));
	const grade = (raw: string | null) => {
		if (raw === null) return null;
		const index = GRADES.indexOf(raw.trim().toUpperCase());
		if (index < 0) throw new PardotError(32);
		return index;
	};
	filters.push(
		...rangeFilter(get, 'grade', (v) => (typeof v.fields.grade === 'string' && GRADES.includes(v.fields.grade) ? GRADES.indexOf(v.fields.grade) : null), grade, {
			range: 33,
			combination: 34,
		}),
	);
	const never = get('last_activity_never');
	if (never !== null) {
		if (!['true', 'false'].includes(never.toLowerCase())) throw new PardotError(50);
		if (never.toLowerCase() === 'true') filters.push((v) => lastActivity(v) === null);
	}
	return filters;
}

function opportunityFilters(sim: HandlerState, get: Get): Array<(v: View) => boolean> {
	const filters: Array<(v: View) => boolean> = [];
	filters.push(
		...rangeFilter(
			get,
			'probability',
			numberField('probability'),
			(raw) => {
				const n = parseInteger(raw, 40);
				if (n !== null && (n < 0 || n > 100)) throw new PardotError(40);
				return n;
			},
			{ range: 41 },
		),
	);
	filters.push(
		...rangeFilter(
			get,
			'value',
			numberField('value'),
			(raw) => {
				const n = parseNumber(raw, 42);
				if (n !== null && n < 0) throw new PardotError(42);
				return n;
			},
			{ range: 43 },
		),
	);
	const pid = parseInteger(get('prospect_id'), 3);
	const pemail = get('prospect_email');
	let matchIds: number[] | null = null;
	const prospects = pid !== null || pemail !== null ? sim.store.latest('prospect').filter((x) => !x.deleted) : [];
	if (pid !== null) {
		if (!prospects.some((x) => x.id === pid)) throw new PardotError(3);
		matchIds = [pid];
	}
	if (pemail !== null) {
		const byEmail = prospects
			.filter((x) => String(x.fields.email ?? '').toLowerCase() === pemail.trim().toLowerCase())
			.map((x) => x.id);
		if (byEmail.length === 0) throw new PardotError(4);
		if (matchIds && !byEmail.includes(matchIds[0])) throw new PardotError(44);
		matchIds = matchIds ?? byEmail;
	}
	if (matchIds) {
		const wanted = matchIds;
		filters.push((v) => ((v.fields.prospectIds as number[]) ?? []).some((id) => wanted.includes(id)));
	}
	return filters;
}

function renderProspectOrOpportunity(sim: HandlerState, view: View, output: string, fields: string[] | null): Record<string, unknown> {
	const out: Record<string, unknown> = { id: view.id };
	const plain = (key: string) => {
		const spec = fieldSpecs(view.type).find((s) => s.key === key)!;
		const value = view.fields[spec.key];
		return spec.kind === 'date' && typeof value === 'number' ? renderLocal(value, sim.zone) : (value ?? null);
	};
	if (output === 'mobile' && !fields) {
		const keys =
			view.type === 'prospect'
				? ['firstName', 'lastName', 'email', 'company']
				: ['name', 'value', 'probability', 'stage', 'status'];
		for (const key of keys) out[fieldSpecs(view.type).find((s) => s.key === key)!.legacy!] = plain(key);
		return out;
	}
	for (const spec of fieldSpecs(view.type)) {
		if (spec.legacy) out[spec.legacy] = plain(spec.key);
	}
	Object.assign(out, dates(sim, view));
	const nested = output !== 'bulk' || fields !== null;
	if (nested && typeof view.fields.campaignId === 'number') out.campaign = nestedCampaign(sim, view.fields.campaignId);
	if (nested && view.type === 'prospect' && typeof view.fields.assignedToId === 'number') out.assigned_to = nestedUser(sim, view.fields.assignedToId);
	if (fields) return pick(out, view.id, fields);
	if (output === 'bulk') return out; // bulk: no nested objects
	if (view.type === 'opportunity') {
		const ids = (view.fields.prospectIds as number[]) ?? [];
		const prospects = ids
			.map((id) => sim.store.find('prospect', id))
			.filter((p): p is View => p !== undefined)
			.map(mobileProspect);
		// Same single-object quirk one level down.
		if (prospects.length > 0) out.prospects = { prospect: prospects.length === 1 ? prospects[0] : prospects };
	}
	return out;
}

// ----- visitor activities -----

/** The object-type flags: "only one object type filter can be applied at once" (docs-2020). */
const OBJECT_FLAGS: Record<string, string> = {
	custom_url_only: 'customRedirectId',
	email_only: 'emailId',
	file_only: 'fileId',
	form_only: 'formId',
	form_handler_only: 'formHandlerId',
	landing_page_only: 'landingPageId',
};

/** Relationship criteria: comma-separated ids of the related object. */
const ACTIVITY_RELATIONS: Record<string, string> = {
	campaign_id: 'campaignId',
	custom_url_id: 'customRedirectId',
	email_id: 'emailId',
	file_id: 'fileId',
	form_id: 'formId',
	form_handler_id: 'formHandlerId',
	landing_page_id: 'landingPageId',
	prospect_id: 'prospectId',
	visitor_id: 'visitorId',
};

/** Type 5 (Session) is never returned by the query and export endpoints (docs-2021). */
export const HIDDEN_ACTIVITY_TYPES = [5];

function activityFilters(_sim: HandlerState, get: Get): Array<(v: View) => boolean> {
	const filters: Array<(v: View) => boolean> = [(v) => !HIDDEN_ACTIVITY_TYPES.includes(v.fields.type as number)];
	const prospectOnly = parseBoolean(get('prospect_only'));
	if (prospectOnly) filters.push((v) => has(v, 'prospectId'));
	const typeRaw = get('type');
	if (typeRaw !== null) {
		const codes = parseIds(typeRaw, 51);
		filters.push((v) => codes!.includes(v.fields.type as number));
	}
	const flags = Object.keys(OBJECT_FLAGS).filter((flag) => parseBoolean(get(flag)) === true);
	if (flags.length > 1) {
		throw new PardotError(51, 200, `Invalid parameter: only one object type filter can be applied at once (got ${flags.join(', ')})`);
	}
	for (const flag of flags) filters.push((v) => has(v, OBJECT_FLAGS[flag]));
	for (const [param, key] of Object.entries(ACTIVITY_RELATIONS)) {
		const ids = parseIds(get(param));
		if (ids) filters.push((v) => ids.includes(v.fields[key] as number));
	}
	return filters;
}

/** Each `*_id` (and details, prospect, visitor) only when the activity has it; the campaign nested. */
function renderActivity(sim: HandlerState, view: View): Record<string, unknown> {
	const out: Record<string, unknown> = { id: view.id, ...plainFields(sim, view, true) };
	if (typeof view.fields.campaignId === 'number') out.campaign = nestedCampaign(sim, view.fields.campaignId);
	return { ...out, ...dates(sim, view) };
}

// ----- list memberships, lists, campaigns -----

function membershipFilters(_sim: HandlerState, get: Get): Array<(v: View) => boolean> {
	const filters: Array<(v: View) => boolean> = [];
	const listId = parseInteger(get('list_id'), 55);
	if (listId !== null) filters.push((v) => v.fields.listId === listId);
	const prospectId = parseInteger(get('prospect_id'), 3);
	if (prospectId !== null) filters.push((v) => v.fields.prospectId === prospectId);
	return filters;
}

function nameFilter(_sim: HandlerState, get: Get): Array<(v: View) => boolean> {
	const name = get('name');
	return name === null ? [] : [(v) => v.fields.name === name];
}

function renderPlain(sim: HandlerState, view: View): Record<string, unknown> {
	return { id: view.id, ...plainFields(sim, view), ...dates(sim, view) };
}

/** v3/v4 campaigns: id, name and cost only, no dates (docs-2020; tap-pardot notes the same in practice). */
function renderCampaign(sim: HandlerState, view: View): Record<string, unknown> {
	return { id: view.id, ...plainFields(sim, view) };
}

// ----- visitors -----

function visitorFilters(_sim: HandlerState, get: Get): Array<(v: View) => boolean> {
	const filters: Array<(v: View) => boolean> = [];
	// "Default value: true": without only_identified=false, only identified visitors come back.
	const onlyIdentified = parseBoolean(get('only_identified')) ?? true;
	if (onlyIdentified) filters.push((v) => v.fields.isIdentified === true);
	const prospectIds = parseIds(get('prospect_ids'));
	if (prospectIds) filters.push((v) => prospectIds.includes(v.fields.prospectId as number));
	return filters;
}

/**
 * full (default): the fields and a nested `<prospect>` (mobile format) when the visitor has one;
 * simple: `prospect_id` instead; mobile: id, prospect_id, page_view_count, ip_address, hostname, dates.
 */
function renderVisitor(sim: HandlerState, view: View, output: string, fields: string[] | null): Record<string, unknown> {
	const prospectId = typeof view.fields.prospectId === 'number' ? view.fields.prospectId : null;
	const plain = plainFields(sim, view);
	if (output === 'mobile' && !fields) {
		return {
			id: view.id,
			prospect_id: prospectId,
			page_view_count: plain.page_view_count,
			ip_address: plain.ip_address,
			hostname: plain.hostname,
			...dates(sim, view),
		};
	}
	const out: Record<string, unknown> = { id: view.id };
	if (output !== 'full' || fields) out.prospect_id = prospectId;
	Object.assign(out, plain, dates(sim, view));
	if (fields) return pick(out, view.id, fields);
	if (output === 'full' && prospectId !== null) {
		const prospect = sim.store.find('prospect', prospectId);
		if (prospect) out.prospect = mobileProspect(prospect);
	}
	return out;
}

// ----- the table -----

const PAGING = ['limit', 'offset', 'output', 'sort_by', 'sort_order'];

export const LEGACY_OBJECTS: Record<RecordType, LegacyObject> = {
	prospect: {
		criteria: [
			'assigned',
			'assigned_to_user',
			'created_after',
			'created_before',
			'deleted',
			'grade_equal_to',
			'grade_greater_than',
			'grade_less_than',
			'id_greater_than',
			'id_less_than',
			'is_starred',
			'last_activity_after',
			'last_activity_before',
			'last_activity_never',
			'limit_related_records',
			'list_id',
			'new',
			'score_equal_to',
			'score_greater_than',
			'score_less_than',
			'updated_after',
			'updated_before',
		],
		resultSet: ['fields', ...PAGING],
		sorts: [
			created,
			byId,
			updated,
			{
				key: 'last_activity_at',
				defaultOrder: 'descending',
				value: (v) => (typeof v.fields.lastActivityAt === 'number' ? toSecond(v.fields.lastActivityAt) : NULL_LOW),
			},
		],
		dateFilters: [
			...CHANGE_FILTERS,
			{ param: 'last_activity_after', value: (v) => lastActivity(v), after: true },
			{ param: 'last_activity_before', value: (v) => lastActivity(v), after: false },
		],
		outputs: ['simple', 'mobile', 'bulk'],
		limitOver200: 'error',
		mobileUncapped: true,
		filters: prospectFilters,
		render: renderProspectOrOpportunity,
	},
	opportunity: {
		criteria: [
			'created_after',
			'created_before',
			'id_greater_than',
			'id_less_than',
			'probability_greater_than',
			'probability_less_than',
			'prospect_email',
			'prospect_id',
			'value_greater_than',
			'value_less_than',
		],
		resultSet: PAGING,
		sorts: [created, byId, byField('probability', 'probability', 'descending'), byField('value', 'value', 'descending')],
		// Opportunities have no updated_after/updated_before (not among their documented criteria).
		dateFilters: CREATED_FILTERS,
		outputs: ['simple', 'mobile', 'bulk'],
		limitOver200: 'error',
		mobileUncapped: true,
		filters: opportunityFilters,
		render: renderProspectOrOpportunity,
	},
	visitorActivity: {
		criteria: [...DATE_CRITERIA, ...ID_CRITERIA, 'prospect_only', 'type', ...Object.keys(OBJECT_FLAGS), ...Object.keys(ACTIVITY_RELATIONS)],
		resultSet: PAGING,
		sorts: [created, byId, updated, byField('prospect_id', 'prospectId', 'descending'), byField('visitor_id', 'visitorId', 'descending')],
		dateFilters: CHANGE_FILTERS,
		outputs: ['simple', 'mobile'],
		// "This number cannot be larger than 200", with no exception for mobile.
		limitOver200: 'error',
		mobileUncapped: false,
		filters: activityFilters,
		render: renderActivity,
	},
	listMembership: {
		criteria: [...DATE_CRITERIA, ...ID_CRITERIA, 'deleted', 'list_id', 'prospect_id'],
		resultSet: PAGING,
		// created_at and id only: no updated_at sort although updated_after filters.
		sorts: [created, byId],
		dateFilters: CHANGE_FILTERS,
		outputs: ['simple', 'mobile'],
		limitOver200: 'cap',
		mobileUncapped: true,
		filters: membershipFilters,
		render: renderPlain,
	},
	list: {
		criteria: [...DATE_CRITERIA, ...ID_CRITERIA, 'name'],
		resultSet: PAGING,
		sorts: [created, byId, byField('name', 'name', 'ascending', true), updated],
		dateFilters: CHANGE_FILTERS,
		outputs: ['simple', 'mobile'],
		limitOver200: 'cap',
		mobileUncapped: true,
		filters: nameFilter,
		render: renderPlain,
	},
	campaign: {
		criteria: [...DATE_CRITERIA, ...ID_CRITERIA, 'name'],
		resultSet: PAGING,
		sorts: [created, byId, byField('name', 'name', 'ascending', true), updated, byField('cost', 'cost', 'descending')],
		dateFilters: CHANGE_FILTERS,
		outputs: ['simple', 'mobile'],
		limitOver200: 'cap',
		mobileUncapped: true,
		filters: nameFilter,
		render: renderCampaign,
	},
	// Users (docs-2020 "Querying Users"): created_after/before, id_greater_than/less_than; sort by created_at, id.
	user: {
		criteria: ['created_after', 'created_before', ...ID_CRITERIA],
		resultSet: PAGING,
		sorts: [created, byId],
		dateFilters: CREATED_FILTERS,
		outputs: ['simple', 'mobile'],
		limitOver200: 'error',
		mobileUncapped: true,
		filters: () => [],
		render: renderPlain,
	},
	visitor: {
		criteria: [...DATE_CRITERIA, ...ID_CRITERIA, 'only_identified', 'prospect_ids'],
		resultSet: ['fields', ...PAGING],
		sorts: [created, byId, updated],
		dateFilters: CHANGE_FILTERS,
		outputs: ['simple', 'mobile'],
		limitOver200: 'error',
		mobileUncapped: true,
		filters: visitorFilters,
		render: renderVisitor,
	},
};

/**
 * The documented parameters of each query, per object and API version (Pardot's "Querying ..." pages
 * for v3 and v4: "Supported Search Criteria" and "Manipulating the Result Set"). v3 and v4 document
 * the same lists.
 */
export const LEGACY_QUERY_PARAMETERS: Record<3 | 4, Record<RecordType, string[]>> = { 3: parameterLists(), 4: parameterLists() };

function parameterLists(): Record<RecordType, string[]> {
	const out = {} as Record<RecordType, string[]>;
	for (const type of Object.keys(OBJECTS) as RecordType[]) out[type] = [...LEGACY_OBJECTS[type].criteria, ...LEGACY_OBJECTS[type].resultSet];
	return out;
}
