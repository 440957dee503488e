/** Pardot API v3/v4: login and the prospect / opportunity `do/query` endpoints. */
import type { RequestContext, Simulator } from './core';
import { randomHex } from './core';
import { PardotError } from './errors';
import { legacyFail, legacyOk, type Reply } from './render';
import { fieldSpecs, type View } from './store';
import { parseLegacyDate, renderLocal, toSecond } from './time';
import type { RecordType } from './types';

function checkVersion(sim: Simulator, version: string): 3 | 4 {
	if (version !== '3' && version !== '4') throw new PardotError(94, 200, 'The provided version is not a valid number');
	const requested = Number(version) as 3 | 4;
	if (requested !== sim.config.accountVersion) {
		// 88: the account allows several prospects per email and must use v4; 89: the reverse.
		throw new PardotError(sim.config.accountVersion === 4 ? 88 : 89);
	}
	return requested;
}

export function legacyLogin(sim: Simulator, ctx: RequestContext, version: string): Reply {
	const format = sim.formatOf(ctx);
	const fail = (error: PardotError) => legacyFail(format, error.code, error.message, error.status ?? 200);
	if (sim.config.legacyLoginRetired) return fail(new PardotError(199));
	const email = (ctx.params.get('email') ?? '').trim();
	const password = ctx.params.get('password') ?? '';
	const userKey = ctx.params.get('user_key') ?? '';
	const key = email.toLowerCase();
	const now = sim.now();

	const failures = sim.loginFailures.get(key);
	if (failures && failures.lockedUntil > now) return fail(new PardotError(131));

	const user = sim.config.users.find((u) => u.email.toLowerCase() === key);
	if (!user || user.password !== password) {
		if (user) {
			const count = (failures && failures.lockedUntil === 0 ? failures.count : 0) + 1;
			const locked = count >= sim.config.maxFailedLogins;
			sim.loginFailures.set(key, { count: locked ? 0 : count, lockedUntil: locked ? now + sim.config.lockoutMs : 0 });
		}
		return fail(new PardotError(15));
	}
	if (user.userKey !== userKey) return fail(new PardotError(1));
	sim.loginFailures.delete(key);
	try {
		checkVersion(sim, version);
	} catch (error) {
		return fail(error as PardotError);
	}

	const apiKey = randomHex(16);
	sim.apiKeys.set(apiKey, { email: user.email, userKey: user.userKey, expiresAt: now + sim.config.apiKeyLifetimeMs });
	// `version` tells the client which API version the account must use.
	return legacyOk(format, { api_key: apiKey, version: sim.config.accountVersion });
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

function authenticate(sim: Simulator, ctx: RequestContext): void {
	// Pardot refuses credentials passed in the URL: only the Authorization header counts.
	if (ctx.query.has('api_key') || ctx.query.has('user_key')) throw new PardotError(1, sim.config.expiredKeyStatus);
	const header = String(ctx.headers.authorization ?? '');
	const bearer = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
	if (bearer) {
		sim.checkOAuth(ctx, bearer[1]);
		return;
	}
	const creds = parsePardotAuth(header);
	if (!creds?.apiKey || !creds.userKey) throw new PardotError(1, sim.config.expiredKeyStatus);
	if (sim.config.legacyLoginRetired) throw new PardotError(199);
	const info = sim.apiKeys.get(creds.apiKey);
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
	// Opportunities have no updated_after/updated_before: Pardot ignores them like any unknown parameter.
	opportunity: [
		{ param: 'created_after', value: (v) => v.createdAt, after: true },
		{ param: 'created_before', value: (v) => v.createdAt, after: false },
	],
};

function lastActivity(v: View): number | null {
	return typeof v.fields.lastActivityAt === 'number' ? v.fields.lastActivityAt : null;
}

const INTEGER = /^\d+$/;

function parseInteger(raw: string | null, code: number): number | null {
	if (raw === null) return null;
	const text = raw.trim();
	if (!/^-?\d+$/.test(text)) throw new PardotError(code);
	return Number(text);
}

function renderRecord(
	sim: Simulator,
	view: View,
	output: string,
): Record<string, unknown> {
	const out: Record<string, unknown> = { id: view.id };
	const plain = (key: string) => {
		const spec = fieldSpecs(view.type).find((s) => s.key === key)!;
		const value = view.fields[spec.key];
		return spec.kind === 'date' && typeof value === 'number' ? renderLocal(value, sim.zone) : (value ?? null);
	};
	if (output === 'mobile') {
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
	if (output === 'bulk') return out; // bulk: no nested objects
	if (typeof view.fields.campaignId === 'number') {
		out.campaign = { id: view.fields.campaignId, name: `Campaign ${view.fields.campaignId}` };
	}
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

export function legacyQuery(sim: Simulator, ctx: RequestContext, type: RecordType, version: string): Reply {
	const format = sim.formatOf(ctx);
	const p = ctx.params;
	authenticate(sim, ctx);
	checkVersion(sim, version);
	sim.chargeApiCall();

	const now = sim.now();
	const limitRaw = p.get('limit');
	if (limitRaw !== null && (!INTEGER.test(limitRaw.trim()) || Number(limitRaw) > 200 || Number(limitRaw) < 1)) {
		throw new PardotError(23);
	}
	const limit = limitRaw === null ? 200 : Number(limitRaw);
	const offsetRaw = p.get('offset');
	if (offsetRaw !== null && !INTEGER.test(offsetRaw.trim())) throw new PardotError(21);
	const offset = offsetRaw === null ? 0 : Number(offsetRaw);

	const sortBy = p.get('sort_by');
	const sort = SORTS[type].find((s) => s.key === (sortBy ?? 'id'));
	if (!sort) throw new PardotError(19);
	const sortOrderRaw = p.get('sort_order');
	if (sortOrderRaw !== null && sortOrderRaw !== 'ascending' && sortOrderRaw !== 'descending') throw new PardotError(20);
	// Without sort_order, Pardot uses the field's own default: descending for every date field.
	const descending = (sortOrderRaw ?? sort.defaultOrder) === 'descending';

	const deletedRaw = p.get('deleted');
	if (deletedRaw !== null && !['true', 'false'].includes(deletedRaw.toLowerCase())) throw new PardotError(27);
	const deleted = deletedRaw?.toLowerCase() === 'true';

	const output = ['full', 'simple', 'mobile', 'bulk'].includes(p.get('output') ?? '') ? p.get('output')! : 'full';

	const inclusive = sim.config.updatedAfter === 'inclusive';
	const filters: Array<(v: View) => boolean> = [];
	const bounds: Record<string, number> = {};
	for (const df of DATE_FILTERS[type]) {
		const raw = p.get(df.param);
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
	const idGreater = parseInteger(p.get('id_greater_than'), 16);
	const idLess = parseInteger(p.get('id_less_than'), 16);
	if (idGreater !== null && idLess !== null && idGreater > idLess) throw new PardotError(17);
	if (idGreater !== null) filters.push((v) => v.id > idGreater);
	if (idLess !== null) filters.push((v) => v.id < idLess);

	if (type === 'opportunity') {
		const pid = parseInteger(p.get('prospect_id'), 3);
		const pemail = p.get('prospect_email');
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

	const matches = sim.store
		.latest(type)
		.filter((v) => v.deleted === deleted && filters.every((fn) => fn(v)))
		.sort((a, b) => {
			const va = sort.value(a);
			const vb = sort.value(b);
			if (va !== vb) return (va < vb ? -1 : 1) * (descending ? -1 : 1);
			return a.id - b.id; // ties: id ascending, whatever the order
		});
	const page = matches.slice(offset, offset + limit).map((v) => renderRecord(sim, v, output));

	if (matches.length === 0 && sim.config.emptyResult === 'null') return legacyOk(format, { result: null });
	const result: Record<string, unknown> = {};
	// output=bulk skips counting matches (that is what makes it fast in Pardot).
	if (output !== 'bulk') result.total_results = matches.length;
	// Pardot's JSON is converted from XML: one record is an object, none omits the key.
	if (page.length === 1) result[type] = page[0];
	else if (page.length > 1) result[type] = page;
	return legacyOk(format, { result });
}
