/** Pardot API v3/v4: login and the prospect / opportunity `do/query` endpoints. */
import { randomBytes } from 'node:crypto';

import { formatOf, type HandlerState, type RequestContext } from './context';
import { PardotError } from './errors';
import { checkOAuth } from './oauth';
import { legacyFail, legacyOk, textReply, type Reply } from './render';
import { fieldSpecs, type View } from './store';
import { parseLegacyDate, renderLocal, toSecond } from './time';
import type { RecordType } from './types';

function checkVersion(sim: HandlerState, version: string): 3 | 4 {
	if (version !== '3' && version !== '4') throw new PardotError(94, 200, 'The provided version is not a valid number');
	const requested = Number(version) as 3 | 4;
	if (requested !== sim.config.accountVersion) {
		// 88: the account allows several prospects per email and must use v4; 89: the reverse.
		throw new PardotError(sim.config.accountVersion === 4 ? 88 : 89);
	}
	return requested;
}

export function legacyLogin(sim: HandlerState, ctx: RequestContext, version: string): Reply {
	const format = formatOf(ctx);
	const fail = (error: PardotError) => legacyFail(format, error.code, error.message, error.status ?? 200);
	if (sim.config.legacyLoginRetired) return fail(new PardotError(199));
	const email = (ctx.params.get('email') ?? '').trim();
	const password = ctx.params.get('password') ?? '';
	const userKey = ctx.params.get('user_key') ?? '';
	const key = email.toLowerCase();
	const now = sim.now();

	const failures = sim.sessions.loginFailures.get(key);
	if (failures && failures.lockedUntil > now) return fail(new PardotError(131));

	const user = sim.config.users.find((u) => u.email.toLowerCase() === key);
	// Pardot's error 15 means "the email address, password, or user key is invalid" (error list).
	const wrongKeyAs15 = sim.config.legacyWrongUserKeyCode === 15;
	const badPassword = !user || user.password !== password;
	const badUserKey = !badPassword && user!.userKey !== userKey;
	if (badPassword || (badUserKey && wrongKeyAs15)) {
		if (user) {
			const count = (failures && failures.lockedUntil === 0 ? failures.count : 0) + 1;
			const locked = count >= sim.config.maxFailedLogins;
			sim.sessions.loginFailures.set(key, { count: locked ? 0 : count, lockedUntil: locked ? now + sim.config.lockoutMs : 0 });
		}
		return fail(new PardotError(15));
	}
	if (badUserKey) return fail(new PardotError(1));
	sim.sessions.loginFailures.delete(key);
	// Logging in with version 3 keeps working for a version 4 account ("Transitioning to version 4");
	// a version 3 account logging in with version 4 is refused like its queries.
	if (version !== '3' && version !== '4') return fail(new PardotError(94, 200, 'The provided version is not a valid number'));
	if (version === '4' && sim.config.accountVersion === 3) return fail(new PardotError(89));
	if (sim.config.dailyLimitCountsLogins) {
		try {
			sim.chargeApiCall();
		} catch (error) {
			return fail(error as PardotError);
		}
	}

	// "Subsequent authentication requests return either the current valid API key or a newly
	// generated API key if the previous one expired" (Pardot's authentication docs).
	let apiKey: string | undefined;
	if (sim.config.legacyLoginReusesKey) {
		for (const [candidate, info] of sim.sessions.apiKeys) {
			if (info.email === user!.email && info.userKey === user!.userKey && info.expiresAt > now) apiKey = candidate;
		}
	}
	if (!apiKey) {
		apiKey = randomBytes(16).toString('hex');
		sim.sessions.apiKeys.set(apiKey, { email: user!.email, userKey: user!.userKey, expiresAt: now + sim.config.apiKeyLifetimeMs });
	}
	// Only a version 4 account gets `<version>4</version>`; "if your account requires version 3, you
	// will not see this tag" (Pardot's overview).
	return legacyOk(format, sim.config.accountVersion === 4 ? { api_key: apiKey, version: 4 } : { api_key: apiKey });
}

/** Parses `Pardot api_key=..., user_key=...` (the `Pardot ` prefix is optional, order free). */
function parsePardotAuth(header: string): { apiKey?: string; userKey?: string } | null {
	const text = header.replace(/^\s*Pardot\s+/i, '');
	if (!/api_key\s*=/.test(text) && !/user_key\s*=/.test(text)) return null;
	const out: { apiKey?: string; userKey?: string } = {};
	for (const part of text.split(',')) {
		const m = /^\s*(api_key|user_key)\s*=\s*"?([^"\s]*)"?\s*$/.exec(part);
		if (m?.[1] === 'api_key') out.apiKey = m[2];
		if (m?.[1] === 'user_key') out.userKey = m[2];
	}
	return out;
}

function authenticate(sim: HandlerState, ctx: RequestContext): void {
	// Pardot refuses credentials passed in the URL: only the Authorization header counts.
	if (ctx.query.has('api_key') || ctx.query.has('user_key')) throw new PardotError(1, sim.config.expiredKeyStatus);
	const header = String(ctx.headers.authorization ?? '');
	const bearer = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
	if (bearer) {
		checkOAuth(sim, ctx, bearer[1]);
		return;
	}
	const creds = parsePardotAuth(header);
	if (!creds?.apiKey || !creds.userKey) throw new PardotError(1, sim.config.expiredKeyStatus);
	if (sim.config.legacyLoginRetired) throw new PardotError(199);
	const info = sim.sessions.apiKeys.get(creds.apiKey);
	// An expired api_key is indistinguishable from a wrong one: error 1, with a status seen to vary.
	if (!info || info.expiresAt <= sim.now() || info.userKey !== creds.userKey) {
		throw new PardotError(1, sim.config.expiredKeyStatus);
	}
}

interface SortSpec {
	key: string;
	defaultOrder: 'ascending' | 'descending';
	value: (v: View) => number;
}

const NULL_LOW = Number.NEGATIVE_INFINITY;
const numOr = (value: unknown) => (typeof value === 'number' ? value : NULL_LOW);

/** Documented sort options; the default order depends on the field (Pardot's docs). */
const SORTS: Record<RecordType, SortSpec[]> = {
	prospect: [
		{ key: 'created_at', defaultOrder: 'descending', value: (v) => toSecond(v.createdAt) },
		{ key: 'id', defaultOrder: 'ascending', value: (v) => v.id },
		{ key: 'updated_at', defaultOrder: 'descending', value: (v) => toSecond(v.updatedAt) },
		{
			key: 'last_activity_at',
			defaultOrder: 'descending',
			value: (v) => (typeof v.fields.lastActivityAt === 'number' ? toSecond(v.fields.lastActivityAt) : NULL_LOW),
		},
	],
	opportunity: [
		{ key: 'created_at', defaultOrder: 'descending', value: (v) => toSecond(v.createdAt) },
		{ key: 'id', defaultOrder: 'ascending', value: (v) => v.id },
		{ key: 'probability', defaultOrder: 'descending', value: (v) => numOr(v.fields.probability) },
		{ key: 'value', defaultOrder: 'descending', value: (v) => numOr(v.fields.value) },
	],
};

interface DateFilter {
	param: string;
	value: (v: View) => number | null;
	after: boolean;
}

const DATE_FILTERS: Record<RecordType, DateFilter[]> = {
	prospect: [
		{ param: 'created_after', value: (v) => v.createdAt, after: true },
		{ param: 'created_before', value: (v) => v.createdAt, after: false },
		{ param: 'updated_after', value: (v) => v.updatedAt, after: true },
		{ param: 'updated_before', value: (v) => v.updatedAt, after: false },
		{ param: 'last_activity_after', value: (v) => lastActivity(v), after: true },
		{ param: 'last_activity_before', value: (v) => lastActivity(v), after: false },
	],
	// Opportunities have no updated_after/updated_before (not among their documented criteria).
	opportunity: [
		{ param: 'created_after', value: (v) => v.createdAt, after: true },
		{ param: 'created_before', value: (v) => v.createdAt, after: false },
	],
};

function lastActivity(v: View): number | null {
	return typeof v.fields.lastActivityAt === 'number' ? v.fields.lastActivityAt : null;
}

const INTEGER = /^\d+$/;

/**
 * The documented parameters of each query, per object and API version (Pardot's "Querying
 * Prospects" / "Querying Opportunities" pages for v3 and v4: "Supported Search Criteria" and
 * "Manipulating the Result Set"). v3 and v4 document the same lists.
 */
const PROSPECT_CRITERIA = [
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
];
const OPPORTUNITY_CRITERIA = [
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
];
const RESULT_SET: Record<RecordType, string[]> = {
	prospect: ['fields', 'limit', 'offset', 'output', 'sort_by', 'sort_order'],
	opportunity: ['limit', 'offset', 'output', 'sort_by', 'sort_order'],
};
export const LEGACY_QUERY_PARAMETERS: Record<3 | 4, Record<RecordType, string[]>> = {
	3: { prospect: [...PROSPECT_CRITERIA, ...RESULT_SET.prospect], opportunity: [...OPPORTUNITY_CRITERIA, ...RESULT_SET.opportunity] },
	4: { prospect: [...PROSPECT_CRITERIA, ...RESULT_SET.prospect], opportunity: [...OPPORTUNITY_CRITERIA, ...RESULT_SET.opportunity] },
};
/** Accepted with every request: the answer format, and credentials (refused elsewhere when in the URL). */
const GLOBAL_PARAMETERS = ['format', 'api_key', 'user_key'];
/** Documented prospect criteria that need data the simulator does not model. */
const UNSIMULATED = ['assigned', 'assigned_to_user', 'is_starred', 'list_id', 'new'];

/**
 * Error 5, "Invalid query parameters": Pardot "did not recognize any of the provided search
 * parameters" (documented). Beside recognised parameters, an unknown one is dropped or, with
 * legacyUnknownParams 'reject', refused the same way (Pardot's docs say nothing about that case).
 */
function checkParameters(sim: HandlerState, params: URLSearchParams, type: RecordType, version: 3 | 4): Set<string> {
	const known = new Set(LEGACY_QUERY_PARAMETERS[version][type]);
	if (type === 'opportunity' && sim.config.legacyOpportunityDeleted === 'honour') known.add('deleted');
	const provided = [...new Set(params.keys())].filter((name) => !GLOBAL_PARAMETERS.includes(name));
	const unknown = provided.filter((name) => !known.has(name));
	if (provided.length > 0 && unknown.length === provided.length) throw new PardotError(5);
	if (unknown.length > 0 && sim.config.legacyUnknownParams === 'reject') throw new PardotError(5);
	return known;
}

function parseInteger(raw: string | null, code: number): number | null {
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

/** Grades from lowest to highest (Pardot's documented options). */
const GRADES = ['F', 'D-', 'D', 'D+', 'C-', 'C', 'C+', 'B-', 'B', 'B+', 'A-', 'A', 'A+'];

/**
 * The `_equal_to` / `_greater_than` / `_less_than` criteria on one numeric field, with Pardot's
 * errors: an unreadable value, an inverted range, equal_to combined with a range.
 */
function rangeFilter(
	p: URLSearchParams,
	name: string,
	value: (v: View) => number | null,
	parse: (raw: string | null) => number | null,
	codes: { range: number; combination?: number },
): Array<(v: View) => boolean> {
	const eq = parse(p.get(`${name}_equal_to`));
	const gt = parse(p.get(`${name}_greater_than`));
	const lt = parse(p.get(`${name}_less_than`));
	if (eq !== null && (gt !== null || lt !== null) && codes.combination) throw new PardotError(codes.combination);
	if (gt !== null && lt !== null && gt > lt) throw new PardotError(codes.range);
	const out: Array<(v: View) => boolean> = [];
	const has = (v: View) => value(v) !== null;
	if (eq !== null) out.push((v) => has(v) && value(v) === eq);
	if (gt !== null) out.push((v) => has(v) && value(v)! > gt);
	if (lt !== null) out.push((v) => has(v) && value(v)! < lt);
	return out;
}

function numberField(key: string) {
	return (v: View) => (typeof v.fields[key] === 'number' ? (v.fields[key] as number) : null);
}

function renderRecord(sim: HandlerState, view: View, output: string, fields: string[] | null): Record<string, unknown> {
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
	out.created_at = renderLocal(view.createdAt, sim.zone);
	out.updated_at = renderLocal(view.updatedAt, sim.zone);
	const nested = output !== 'bulk' || fields !== null;
	if (nested && typeof view.fields.campaignId === 'number') {
		out.campaign = { id: view.fields.campaignId, name: `Campaign ${view.fields.campaignId}` };
	}
	if (fields) {
		// `fields`: those fields only, and always the id (Pardot's docs). Names the object does not
		// have are left out without an error (undocumented; see README).
		const picked: Record<string, unknown> = { id: view.id };
		for (const name of fields) if (name !== 'id' && name in out) picked[name] = out[name];
		return picked;
	}
	if (output === 'bulk') return out; // bulk: no nested objects
	if (view.type === 'opportunity') {
		const ids = (view.fields.prospectIds as number[]) ?? [];
		const prospects = ids
			.map((id) => sim.store.find('prospect', id))
			.filter((p): p is View => p !== undefined)
			.map((p) => ({
				id: p.id,
				first_name: p.fields.firstName ?? null,
				last_name: p.fields.lastName ?? null,
				email: p.fields.email ?? null,
				company: p.fields.company ?? null,
			}));
		// Same single-object quirk one level down.
		if (prospects.length > 0) out.prospects = { prospect: prospects.length === 1 ? prospects[0] : prospects };
	}
	return out;
}

/** A stable pseudo-random rank of an id for one request (legacyTieOrder 'arbitrary'). */
function scramble(id: number, salt: number): number {
	let h = (id ^ salt) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
	return (h ^ (h >>> 16)) >>> 0;
}

export function legacyQuery(sim: HandlerState, ctx: RequestContext, type: RecordType, version: string): Reply {
	const format = formatOf(ctx);
	const p = ctx.params;
	authenticate(sim, ctx);
	const apiVersion = checkVersion(sim, version);
	sim.chargeApiCall();
	const known = checkParameters(sim, p, type, apiVersion);
	// A parameter the object does not document is ignored (legacyUnknownParams 'ignore'): read only known ones.
	const get = (name: string) => (known.has(name) ? p.get(name) : null);

	const now = sim.now();
	const output = ['full', 'simple', 'mobile', 'bulk'].includes(get('output') ?? '') ? get('output')! : 'full';
	const limitRaw = get('limit');
	// "Unless output=mobile is specified, 200 [records] will be returned with each query request. This
	// limit is not enforced for responses formatted for mobile devices."
	const cap = output === 'mobile' ? Number.POSITIVE_INFINITY : 200;
	if (limitRaw !== null && (!INTEGER.test(limitRaw.trim()) || Number(limitRaw) > cap || Number(limitRaw) < 1)) {
		throw new PardotError(23);
	}
	const limit = limitRaw === null ? cap : Number(limitRaw);
	const offsetRaw = get('offset');
	if (offsetRaw !== null && !INTEGER.test(offsetRaw.trim())) throw new PardotError(21);
	const offset = offsetRaw === null ? 0 : Number(offsetRaw);

	const sortBy = get('sort_by');
	const sort = SORTS[type].find((s) => s.key === (sortBy ?? 'id'));
	if (!sort) throw new PardotError(19);
	const sortOrderRaw = get('sort_order');
	if (sortOrderRaw !== null && sortOrderRaw !== 'ascending' && sortOrderRaw !== 'descending') throw new PardotError(20);
	// Without sort_order, Pardot uses the field's own default: descending for every date field.
	const descending = (sortOrderRaw ?? sort.defaultOrder) === 'descending';

	const deletedRaw = get('deleted');
	if (deletedRaw !== null && !['true', 'false'].includes(deletedRaw.toLowerCase())) throw new PardotError(27);
	const deleted = deletedRaw?.toLowerCase() === 'true';

	const fieldsRaw = get('fields');
	const fields = fieldsRaw === null ? null : fieldsRaw.split(',').map((f) => f.trim()).filter((f) => f !== '');

	for (const name of UNSIMULATED) {
		if (get(name) !== null) {
			return textReply(501, `The Pardot simulator does not model the prospect criterion "${name}"; it accepts it but cannot filter on it.\n`);
		}
	}

	const inclusive = sim.config.updatedAfter === 'inclusive';
	const filters: Array<(v: View) => boolean> = [];
	const bounds: Record<string, number> = {};
	for (const df of DATE_FILTERS[type]) {
		const raw = get(df.param);
		if (raw === null) continue;
		const at = parseLegacyDate(raw, sim.zone, now);
		if (at === null) throw new PardotError(7);
		bounds[df.param] = at;
		// Pardot stores seconds: the record side of the comparison is truncated to the second.
		filters.push((v) => {
			const value = df.value(v);
			if (value === null) return false;
			const s = toSecond(value);
			if (df.after) return inclusive ? s >= at : s > at;
			return inclusive ? s <= at : s < at;
		});
	}
	for (const [after, before] of [
		['created_after', 'created_before'],
		['updated_after', 'updated_before'],
		['last_activity_after', 'last_activity_before'],
	]) {
		if (bounds[after] !== undefined && bounds[before] !== undefined && bounds[after] > bounds[before]) {
			throw new PardotError(8);
		}
	}
	const idGreater = parseInteger(get('id_greater_than'), 16);
	const idLess = parseInteger(get('id_less_than'), 16);
	if (idGreater !== null && idLess !== null && idGreater > idLess) throw new PardotError(17);
	if (idGreater !== null) filters.push((v) => v.id > idGreater);
	if (idLess !== null) filters.push((v) => v.id < idLess);

	if (type === 'prospect') {
		filters.push(...rangeFilter(p, 'score', numberField('score'), (raw) => parseInteger(raw, 29), { range: 30, combination: 31 }));
		const grade = (raw: string | null) => {
			if (raw === null) return null;
			const index = GRADES.indexOf(raw.trim().toUpperCase());
			if (index < 0) throw new PardotError(32);
			return index;
		};
		filters.push(
			...rangeFilter(p, 'grade', (v) => (typeof v.fields.grade === 'string' && GRADES.includes(v.fields.grade) ? GRADES.indexOf(v.fields.grade) : null), grade, {
				range: 33,
				combination: 34,
			}),
		);
		const never = get('last_activity_never');
		if (never !== null) {
			if (!['true', 'false'].includes(never.toLowerCase())) throw new PardotError(50);
			if (never.toLowerCase() === 'true') filters.push((v) => lastActivity(v) === null);
		}
	} else {
		filters.push(
			...rangeFilter(
				p,
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
				p,
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
	}

	// Records that tie on the sort key: Pardot does not say in which order they come.
	const tieOrder = sim.config.legacyTieOrder;
	const salt = tieOrder === 'arbitrary' ? sim.tieSalt() : 0;
	const tie = (a: View, b: View) => {
		if (tieOrder === 'arbitrary') return scramble(a.id, salt) - scramble(b.id, salt) || a.id - b.id;
		return (a.id - b.id) * (tieOrder === 'sortDirection' && descending ? -1 : 1);
	};
	const matches = sim.store
		.latest(type)
		.filter((v) => v.deleted === deleted && filters.every((fn) => fn(v)))
		.sort((a, b) => {
			const va = sort.value(a);
			const vb = sort.value(b);
			if (va !== vb) return (va < vb ? -1 : 1) * (descending ? -1 : 1);
			return tie(a, b);
		});
	const page = matches.slice(offset, offset + limit).map((v) => renderRecord(sim, v, output, fields));

	if (matches.length === 0 && sim.config.emptyResult === 'null') return legacyOk(format, { result: null });
	const result: Record<string, unknown> = {};
	// output=bulk skips counting matches (that is what makes it fast in Pardot).
	if (output !== 'bulk') result.total_results = matches.length;
	// Pardot's JSON is converted from XML: one record is an object, none omits the key.
	if (page.length === 1) result[type] = page[0];
	else if (page.length > 1) result[type] = page;
	return legacyOk(format, { result });
}
