/** Pardot API v3/v4: login and the `do/query` endpoints of every object (legacy-objects.ts). */
import { randomBytes } from 'node:crypto';

import { authenticateLegacy, checkVersion } from './auth';
import { formatOf, type HandlerState, type RequestContext } from './context';
import { PardotError } from './errors';
import { LEGACY_OBJECTS, LEGACY_QUERY_PARAMETERS, UNSIMULATED, parseInteger } from './legacy-objects';
import { OBJECTS } from './objects';
import { legacyFail, legacyOk, textReply, type Reply } from './render';
import type { View } from './store';
import { parseLegacyDate, toSecond } from './time';
import type { RecordType } from './types';

export { LEGACY_QUERY_PARAMETERS } from './legacy-objects';

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

/** Accepted with every request: the answer format, and credentials (refused elsewhere when in the URL). */
const GLOBAL_PARAMETERS = ['format', 'api_key', 'user_key'];

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

const INTEGER = /^\d+$/;

/** A stable pseudo-random rank of an id for one request (legacyTieOrder 'arbitrary'). */
function scramble(id: number, salt: number): number {
	let h = (id ^ salt) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
	return (h ^ (h >>> 16)) >>> 0;
}

/**
 * `/api/<object>/version/{3|4}/do/query` for every object (legacy-objects.ts says what each one
 * accepts and how its records look): authentication, version, daily limit, the documented-parameter
 * check, limit/offset/sort, date and id criteria, the object's own criteria, and the envelope with
 * Pardot's one-record-is-an-object quirk.
 */
export function legacyQuery(sim: HandlerState, ctx: RequestContext, type: RecordType, version: string): Reply {
	const format = formatOf(ctx);
	const p = ctx.params;
	const spec = LEGACY_OBJECTS[type];
	authenticateLegacy(sim, ctx);
	const apiVersion = checkVersion(sim, version);
	sim.chargeApiCall();
	const known = checkParameters(sim, p, type, apiVersion);
	// A parameter the object does not document is ignored (legacyUnknownParams 'ignore'): read only known ones.
	const get = (name: string) => (known.has(name) ? p.get(name) : null);

	const now = sim.now();
	const outputRaw = get('output') ?? '';
	const output = spec.outputs.includes(outputRaw) ? outputRaw : 'full';
	const limitRaw = get('limit');
	// "Unless output=mobile is specified, 200 [records] will be returned with each query request. This
	// limit is not enforced for responses formatted for mobile devices."
	const uncapped = output === 'mobile' && spec.mobileUncapped;
	const cap = uncapped ? Number.POSITIVE_INFINITY : 200;
	let limit = cap;
	if (limitRaw !== null) {
		if (!INTEGER.test(limitRaw.trim()) || Number(limitRaw) < 1) throw new PardotError(23);
		limit = Number(limitRaw);
		// Prospects, opportunities, visitors, visitor activities: error 23. Lists, list memberships,
		// campaigns: "if a number larger than 200 is specified, 200 will be used".
		if (limit > cap) {
			if (spec.limitOver200 === 'error') throw new PardotError(23);
			limit = cap;
		}
	}
	const offsetRaw = get('offset');
	if (offsetRaw !== null && !INTEGER.test(offsetRaw.trim())) throw new PardotError(21);
	const offset = offsetRaw === null ? 0 : Number(offsetRaw);

	const sortBy = get('sort_by');
	const sort = spec.sorts.find((s) => s.key === (sortBy ?? 'id'));
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

	if (type === 'prospect') {
		for (const name of UNSIMULATED) {
			if (get(name) !== null) {
				return textReply(501, `The Pardot simulator does not model the prospect criterion "${name}"; it accepts it but cannot filter on it.\n`);
			}
		}
	}

	const inclusive = sim.config.updatedAfter === 'inclusive';
	const filters: Array<(v: View) => boolean> = [];
	const bounds: Record<string, number> = {};
	for (const df of spec.dateFilters) {
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
	filters.push(...spec.filters(sim, get));

	// Records that tie on the sort key: Pardot does not say in which order they come.
	const tieOrder = sim.config.legacyTieOrder;
	const salt = tieOrder === 'arbitrary' ? sim.tieSalt() : 0;
	const tie = (a: View, b: View) => {
		if (tieOrder === 'arbitrary') return scramble(a.id, salt) - scramble(b.id, salt) || a.id - b.id;
		return (a.id - b.id) * (tieOrder === 'sortDirection' && descending ? -1 : 1);
	};
	// With legacyReadLagMs (or a lag sequence), reads lag writes as v5 reads do; otherwise they see the latest
	// data. With lateWriteApis 'all', late writes show only once visible, as on v5.
	const staleness = sim.legacyStaleness();
	const late = sim.config.lateWriteApis === 'all';
	const visible = staleness === null ? sim.store.latest(type, late ? now : undefined) : sim.store.asOf(type, now - staleness, late);
	const matches = visible
		// Objects without a `deleted` criterion (or whose bin v3/v4 cannot read) show live records only.
		.filter((v) => v.deleted === deleted && filters.every((fn) => fn(v)))
		.sort((a, b) => {
			const va = sort.value(a);
			const vb = sort.value(b);
			if (va !== vb) return (va < vb ? -1 : 1) * (descending ? -1 : 1);
			return tie(a, b);
		});
	const page = matches.slice(offset, offset + limit).map((v) => spec.render(sim, v, output, fields));

	if (matches.length === 0 && sim.config.emptyResult === 'null') return legacyOk(format, { result: null });
	const result: Record<string, unknown> = {};
	// output=bulk skips counting matches (that is what makes it fast in Pardot).
	if (output !== 'bulk') result.total_results = matches.length;
	// Pardot's JSON is converted from XML: one record is an object, none omits the key.
	const key = OBJECTS[type].legacyKey;
	if (page.length === 1) result[key] = page[0];
	else if (page.length > 1) result[key] = page;
	return legacyOk(format, { result });
}
