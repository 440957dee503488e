/**
 * Pardot API v3/v4, the operations besides `query`: `/api/<object>/version/{3|4}/do/<action>/<key>/<value>...`
 * for prospects (create, read, update, upsert, delete), opportunities (create, read, update, delete,
 * undelete), list memberships (create, read, update, delete) and lists (create, read, update, delete).
 * Identifiers come in the path (`id/5`, `email/a@b.c`, `list_id/1/prospect_id/2`) or as parameters;
 * field values are parameters by their v3/v4 names (query string or form body). Answers are the record
 * in the read envelope (`<rsp><prospect>...`, JSON with format=json); deletes answer HTTP 204. v3 and v4
 * differ for prospects that share an email (v4 is for AMPSEA accounts): see docs/pardot-api-notes.md.
 */
import { authenticateLegacy, checkVersion } from './auth';
import { formatOf, type HandlerState, type RequestContext } from './context';
import { PardotError } from './errors';
import { LEGACY_OBJECTS } from './legacy-objects';
import { OBJECTS, fieldSpecs } from './objects';
import { emptyReply, legacyOk, type Reply } from './render';
import type { View } from './store';
import type { RecordType } from './types';
import {
	checkEmailFree,
	checkProspectEmail,
	createNow,
	deleteNow,
	findRecord,
	isValidEmail,
	latestOf,
	legacyFields,
	legacyValue,
	membershipFields,
	prospectsWithEmail,
	restoreNow,
	updateNow,
} from './writes';

/** One v3/v4 write request: its identifiers (path pairs, else parameters), version and answer format. */
interface Call {
	sim: HandlerState;
	ctx: RequestContext;
	version: 3 | 4;
	/** An identifier from the path (`/id/5`), else from the parameters (`?id=5`). */
	id(name: string): string | null;
}

function callOf(sim: HandlerState, ctx: RequestContext, version: 3 | 4): Call {
	const after = /\/do\/[A-Za-z]+\/?(.*)$/.exec(ctx.url.pathname)?.[1] ?? '';
	const segments = after.split('/').filter((s) => s !== '');
	const pairs = new Map<string, string>();
	for (let i = 0; i + 1 < segments.length; i += 2) pairs.set(segments[i], decodeURIComponent(segments[i + 1]));
	return { sim, ctx, version, id: (name) => pairs.get(name) ?? ctx.params.get(name) };
}

/** An integer identifier, or the given error when it is not one. */
function integerId(raw: string, code: number): number {
	if (!/^\d+$/.test(raw.trim())) throw new PardotError(code);
	return Number(raw);
}

function answer(call: Call, type: RecordType, records: View | View[]): Reply {
	const render = (v: View) => LEGACY_OBJECTS[type].render(call.sim, v, 'full', null);
	const key = OBJECTS[type].legacyKey;
	return legacyOk(formatOf(call.ctx), { [key]: Array.isArray(records) ? (records.length === 1 ? render(records[0]) : records.map(render)) : render(records) });
}

/** Deletes only with POST or DELETE (documented for prospects and lists): error 60 otherwise. */
function deleteMethod(call: Call): void {
	if (call.ctx.method !== 'POST' && call.ctx.method !== 'DELETE') {
		throw new PardotError(60, undefined, 'Invalid HTTP request method: delete with POST or DELETE');
	}
}

/** Version 4 no longer updates or deletes prospects referenced by email alone (documented); its error code is not: 22 here. */
const notInV4 = (what: string) => new PardotError(22, undefined, `Unsupported feature in this version of the API: ${what} (version 4 references prospects by id or fid)`);

// ----- prospects -----

type ProspectRef = { by: 'id'; id: number } | { by: 'email'; email: string } | { by: 'fid'; fid: string };

/** The prospect an id, fid or email names (3, 77, 4 when none; 132 when it is in the recycle bin). */
function prospectRef(call: Call, allowEmail: boolean): ProspectRef {
	const id = call.id('id');
	if (id !== null) return { by: 'id', id: integerId(id, 3) };
	const fid = call.version === 4 ? call.id('fid') : null;
	if (fid !== null) return { by: 'fid', fid };
	const email = call.id('email');
	if (email !== null) {
		if (!allowEmail) throw notInV4('prospects referenced by email');
		return { by: 'email', email };
	}
	throw new PardotError(13, undefined, 'One or more required parameters are missing: id, fid or email');
}

/** Live (and, with `deleted`, recycled) prospects a reference names. */
function prospectsOf(call: Call, ref: ProspectRef, which: 'live' | 'all'): View[] {
	const all = call.sim.store.latest('prospect');
	const keep = (v: View) => which === 'all' || !v.deleted;
	if (ref.by === 'id') return all.filter((v) => v.id === ref.id && keep(v));
	if (ref.by === 'fid') return all.filter((v) => (v.fields.salesforceLeadId === ref.fid || v.fields.salesforceContactId === ref.fid) && keep(v));
	return prospectsWithEmail(call.sim, ref.email, which);
}

const missingCode = (ref: ProspectRef) => (ref.by === 'id' ? 3 : ref.by === 'fid' ? 77 : 4);

/** The one live prospect a reference names: the latest activity when several share an email. */
function oneProspect(call: Call, ref: ProspectRef): View {
	const live = prospectsOf(call, ref, 'live');
	if (live.length > 0) return latestOf(live, 'latestActivity')!;
	if (prospectsOf(call, ref, 'all').length > 0) throw new PardotError(132, undefined, 'Prospect is archived (in the recycle bin)');
	throw new PardotError(missingCode(ref));
}

/**
 * The fields of a prospect write, with its email checked (4) and, without AMPSEA, free (9 on create,
 * 54 on a change). `emailChange` false: an `email` parameter is ignored (update by email cannot change
 * the address, documented for v3).
 */
function prospectFields(call: Call, email: string | null, current: View | null, emailChange = true): Record<string, unknown> {
	const fields = legacyFields(call.sim, 'prospect', call.ctx.params);
	if (!emailChange) delete fields.email;
	if (email !== null) fields.email = email;
	checkProspectEmail(fields);
	if (typeof fields.email === 'string') {
		if (!current) checkEmailFree(call.sim, fields.email, null, 9);
		else if (fields.email.toLowerCase() !== String(current.fields.email ?? '').toLowerCase()) checkEmailFree(call.sim, fields.email, current.id, 54);
	}
	return fields;
}

/**
 * `list_<id>=1` adds the prospect to list <id>, `list_<id>=0` removes it (documented); requests for a
 * membership it already has, or lacks, are ignored. An unknown list is error 55.
 */
function listSubscriptions(call: Call, prospectId: number): void {
	for (const [name, value] of call.ctx.params) {
		const m = /^list_(\d+)$/.exec(name);
		if (!m) continue;
		const listId = Number(m[1]);
		if (!findRecord(call.sim, 'list', listId, true)) throw new PardotError(55);
		const existing = call.sim.store.findMembership(listId, prospectId);
		if (value.trim() === '1' && (!existing || existing.deleted)) {
			if (existing) restoreNow(call.sim, 'listMembership', existing.id);
			else createNow(call.sim, 'listMembership', { listId, prospectId, optedOut: false });
		} else if (value.trim() === '0' && existing && !existing.deleted) {
			deleteNow(call.sim, 'listMembership', existing.id);
		}
	}
}

/** A new prospect; without a `campaign_id` it joins the oldest campaign (documented), when there is one. */
function createProspect(call: Call, email: string): View {
	if (!isValidEmail(email)) throw new PardotError(4);
	const fields = prospectFields(call, email, null);
	if (fields.campaignId === undefined || fields.campaignId === null) {
		const oldest = call.sim.store
			.latest('campaign')
			.filter((c) => !c.deleted)
			.sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)[0];
		if (oldest) fields.campaignId = oldest.id;
	}
	const record = createNow(call.sim, 'prospect', fields);
	listSubscriptions(call, record.id);
	return call.sim.store.find('prospect', record.id)!;
}

function updateProspect(call: Call, current: View, emailChange: boolean): View {
	const fields = prospectFields(call, null, current, emailChange);
	if (current.deleted) restoreNow(call.sim, 'prospect', current.id);
	const record = updateNow(call.sim, 'prospect', current.id, fields);
	listSubscriptions(call, record.id);
	return call.sim.store.find('prospect', record.id)!;
}

/**
 * Upsert. v3: by email, update the prospect with it (from the recycle bin too) or create one; by id,
 * update that prospect (an `email` parameter changes its address), else the one with the `email`
 * parameter, else create one with it, else 14. v4: by id or fid, update (from the recycle bin too),
 * else create with the `email` parameter, else 14; by email alone, always create (documented).
 */
function upsertProspect(call: Call): View {
	const byIdRaw = call.id('id');
	const byFid = call.version === 4 ? call.id('fid') : null;
	if (byIdRaw !== null || byFid !== null) {
		const ref: ProspectRef = byIdRaw !== null ? { by: 'id', id: integerId(byIdRaw, 3) } : { by: 'fid', fid: byFid! };
		const matches = prospectsOf(call, ref, 'all');
		const target = latestOf(matches.filter((v) => !v.deleted), 'latestActivity') ?? latestOf(matches, 'latestUpdated');
		if (target) return updateProspect(call, target, true);
		const email = call.ctx.params.get('email');
		if (email === null || email.trim() === '') throw new PardotError(14);
		if (call.version === 3) {
			const byEmail = prospectsWithEmail(call.sim, email, 'all');
			const found = latestOf(byEmail.filter((v) => !v.deleted), 'latestActivity') ?? latestOf(byEmail, 'latestUpdated');
			if (found) return updateProspect(call, found, false);
		}
		return createProspect(call, email);
	}
	const email = call.id('email');
	if (email === null) throw new PardotError(13, undefined, 'One or more required parameters are missing: id or email');
	if (!isValidEmail(email)) throw new PardotError(4);
	if (call.version === 3) {
		const byEmail = prospectsWithEmail(call.sim, email, 'all');
		const found = latestOf(byEmail.filter((v) => !v.deleted), 'latestActivity') ?? latestOf(byEmail, 'latestUpdated');
		if (found) return updateProspect(call, found, false);
	}
	return createProspect(call, email);
}

/**
 * Assign: the prospect (by id, fid, or on v3 by email) to the user given by `user_id` or `user_email`
 * (documented; `group_id` is not simulated: error 12). An unknown user is error 10 or 11. Answers the
 * updated prospect.
 */
function assignProspect(call: Call): View {
	const target = oneProspect(call, prospectRef(call, call.version === 3));
	const userId = call.ctx.params.get('user_id');
	const userEmail = call.ctx.params.get('user_email');
	let user: View | undefined;
	if (userId !== null) {
		user = /^\d+$/.test(userId.trim()) ? findRecord(call.sim, 'user', Number(userId), true) : undefined;
		if (!user) throw new PardotError(10);
	} else if (userEmail !== null) {
		user = call.sim.store.latest('user').find((u) => !u.deleted && String(u.fields.email).toLowerCase() === userEmail.trim().toLowerCase());
		if (!user) throw new PardotError(11);
	} else if (call.ctx.params.get('group_id') !== null) {
		throw new PardotError(12, undefined, 'Invalid group ID (groups are not simulated)');
	} else {
		throw new PardotError(13, undefined, 'One or more required parameters are missing: user_id, user_email or group_id');
	}
	updateNow(call.sim, 'prospect', target.id, { assignedToId: user.id });
	return call.sim.store.find('prospect', target.id)!;
}

function prospectAction(call: Call, action: string): Reply {
	switch (action) {
		case 'create': {
			const email = call.id('email');
			if (email === null) throw new PardotError(13, undefined, 'One or more required parameters are missing: email');
			return answer(call, 'prospect', createProspect(call, email));
		}
		case 'read': {
			const ref = prospectRef(call, true);
			// v4: reading by email returns every prospect with that address (documented).
			if (ref.by === 'email' && call.version === 4) {
				const live = prospectsOf(call, ref, 'live').sort((a, b) => a.id - b.id);
				if (live.length === 0) throw new PardotError(4);
				return answer(call, 'prospect', live);
			}
			return answer(call, 'prospect', oneProspect(call, ref));
		}
		case 'update': {
			const ref = prospectRef(call, call.version === 3);
			return answer(call, 'prospect', updateProspect(call, oneProspect(call, ref), ref.by !== 'email'));
		}
		case 'upsert':
			return answer(call, 'prospect', upsertProspect(call));
		case 'assign':
			return answer(call, 'prospect', assignProspect(call));
		default: {
			deleteMethod(call);
			const target = oneProspect(call, prospectRef(call, call.version === 3));
			deleteNow(call.sim, 'prospect', target.id);
			return emptyReply(204);
		}
	}
}

// ----- opportunities -----

/**
 * The fields of an opportunity write: probability an integer 0-100 (40), value a number of at least 0
 * (42), status won, lost or open (51); on a create name, value and probability are required (13, or 36
 * when given empty), and campaign_id with legacyOpportunityRequiresCampaign.
 */
function opportunityFields(call: Call, onCreate: boolean): Record<string, unknown> {
	const p = call.ctx.params;
	if (onCreate) {
		const required = ['name', 'value', 'probability', ...(call.sim.config.legacyOpportunityRequiresCampaign ? ['campaign_id'] : [])];
		for (const name of required) {
			if (p.get(name) === null) throw new PardotError(13, undefined, `One or more required parameters are missing: ${name}`);
			if (p.get(name)!.trim() === '') throw new PardotError(36, undefined, `One or more required parameter values are missing: ${name}`);
		}
	}
	const probability = p.get('probability');
	if (probability !== null && (!/^\d+$/.test(probability.trim()) || Number(probability) > 100)) throw new PardotError(40);
	const value = p.get('value');
	if (value !== null && !/^\d+(\.\d+)?$/.test(value.trim())) throw new PardotError(42);
	const status = p.get('status');
	if (status !== null && status.trim() !== '' && !['won', 'lost', 'open'].includes(status.trim().toLowerCase())) {
		throw new PardotError(51, undefined, 'Invalid parameter: status must be won, lost or open');
	}
	const fields = legacyFields(call.sim, 'opportunity', p);
	if (typeof fields.status === 'string') fields.status = fields.status.trim().toLowerCase();
	return fields;
}

/** The prospect of a new opportunity: prospect_id (3), prospect_email (4; several: the latest activity), both the same one (44). */
function opportunityProspect(call: Call): number {
	const idRaw = call.id('prospect_id');
	const email = call.id('prospect_email');
	if (idRaw === null && email === null) throw new PardotError(13, undefined, 'One or more required parameters are missing: prospect_id or prospect_email');
	let id: number | null = null;
	if (idRaw !== null) {
		id = integerId(idRaw, 3);
		if (!findRecord(call.sim, 'prospect', id, true)) throw new PardotError(3);
	}
	if (email !== null) {
		const live = prospectsWithEmail(call.sim, email, 'live');
		if (live.length === 0) throw new PardotError(4);
		if (id !== null) {
			if (!live.some((v) => v.id === id)) throw new PardotError(44);
		} else id = latestOf(live, 'latestActivity')!.id;
	}
	return id!;
}

function opportunityAction(call: Call, action: string): Reply {
	// "If a salesforce.com or SugarCRM connector is present ... Opportunities can be read, but they cannot be modified."
	if (action !== 'read' && call.sim.config.salesforceConnector) throw new PardotError(37);
	if (action === 'create') {
		const prospectId = opportunityProspect(call);
		const fields = opportunityFields(call, true);
		return answer(call, 'opportunity', createNow(call.sim, 'opportunity', { ...fields, prospectIds: [prospectId] }));
	}
	const idRaw = call.id('id');
	if (idRaw === null) throw new PardotError(13, undefined, 'One or more required parameters are missing: id');
	const id = integerId(idRaw, 35);
	const found = call.sim.store.find('opportunity', id);
	if (!found || (found.deleted && action !== 'undelete')) throw new PardotError(35);
	switch (action) {
		case 'read':
			return answer(call, 'opportunity', found);
		case 'update':
			return answer(call, 'opportunity', updateNow(call.sim, 'opportunity', id, opportunityFields(call, false)));
		case 'delete':
			deleteMethod(call);
			deleteNow(call.sim, 'opportunity', id);
			return emptyReply(204);
		default:
			// undelete: "Returns no response on success"; a live opportunity stays as it is.
			if (found.deleted) restoreNow(call.sim, 'opportunity', id);
			return emptyReply(204);
	}
}

// ----- list memberships and lists -----

/** `opted_out` of a membership write: true/false/1/0 (50 otherwise). */
function optedOutParam(call: Call): Record<string, unknown> {
	const raw = call.ctx.params.get('opted_out');
	if (raw === null) return {};
	const spec = fieldSpecs('listMembership').find((s) => s.key === 'optedOut')!;
	const value = legacyValue(call.sim, spec, raw);
	return value === null ? {} : { optedOut: value };
}

/** The list and prospect of a membership request: both live (55, 3). */
function membershipPair(call: Call): { listId: number; prospectId: number } {
	const listRaw = call.id('list_id');
	const prospectRaw = call.id('prospect_id');
	if (listRaw === null || prospectRaw === null) throw new PardotError(13, undefined, 'One or more required parameters are missing: list_id and prospect_id');
	const listId = integerId(listRaw, 55);
	const prospectId = integerId(prospectRaw, 3);
	if (!findRecord(call.sim, 'list', listId, true)) throw new PardotError(55);
	if (!findRecord(call.sim, 'prospect', prospectId, true)) throw new PardotError(3);
	return { listId, prospectId };
}

/** The live membership an id or a list and prospect name (16 "Invalid ID" when there is none: the simulator's choice). */
function liveMembership(call: Call): View {
	const idRaw = call.id('id');
	let found: View | undefined;
	if (idRaw !== null) found = call.sim.store.find('listMembership', integerId(idRaw, 16));
	else {
		const pair = membershipPair(call);
		found = call.sim.store.findMembership(pair.listId, pair.prospectId);
	}
	if (!found || found.deleted) throw new PardotError(16, undefined, 'Invalid ID: no such list membership');
	return found;
}

function membershipAction(call: Call, action: string): Reply {
	switch (action) {
		case 'create': {
			const pair = membershipPair(call);
			const optedOut = optedOutParam(call);
			const existing = call.sim.store.findMembership(pair.listId, pair.prospectId);
			if (existing && !existing.deleted) throw new PardotError(58);
			if (existing) {
				restoreNow(call.sim, 'listMembership', existing.id);
				return answer(call, 'listMembership', updateNow(call.sim, 'listMembership', existing.id, membershipFields(call.sim, existing, { optedOut: false, ...optedOut })));
			}
			return answer(call, 'listMembership', createNow(call.sim, 'listMembership', { ...pair, optedOut: false, ...optedOut }));
		}
		case 'read':
			return answer(call, 'listMembership', liveMembership(call));
		case 'update': {
			const current = liveMembership(call);
			return answer(call, 'listMembership', updateNow(call.sim, 'listMembership', current.id, membershipFields(call.sim, current, optedOutParam(call))));
		}
		default: {
			const current = liveMembership(call);
			deleteNow(call.sim, 'listMembership', current.id);
			return emptyReply(204);
		}
	}
}

function listAction(call: Call, action: string): Reply {
	if (action === 'create') {
		const fields = legacyFields(call.sim, 'list', call.ctx.params);
		if (fields.name === undefined) throw new PardotError(13, undefined, 'One or more required parameters are missing: name');
		if (fields.name === null) throw new PardotError(36, undefined, 'One or more required parameter values are missing: name');
		return answer(call, 'list', createNow(call.sim, 'list', fields));
	}
	const idRaw = call.id('id');
	if (idRaw === null) throw new PardotError(13, undefined, 'One or more required parameters are missing: id');
	const id = integerId(idRaw, 55);
	if (!findRecord(call.sim, 'list', id, true)) throw new PardotError(55);
	switch (action) {
		case 'read':
			return answer(call, 'list', call.sim.store.find('list', id)!);
		case 'update': {
			const fields = legacyFields(call.sim, 'list', call.ctx.params);
			if (fields.name === null) throw new PardotError(36, undefined, 'One or more required parameter values are missing: name');
			return answer(call, 'list', updateNow(call.sim, 'list', id, fields));
		}
		default:
			deleteMethod(call);
			deleteNow(call.sim, 'list', id);
			return emptyReply(204);
	}
}

/**
 * `/api/<object>/version/{3|4}/do/<action>/...` for the actions of OBJECTS[type].legacyActions:
 * authentication, the account's version (88/89), the daily limit, then the object's operation.
 */
export function legacyWrite(sim: HandlerState, ctx: RequestContext, type: RecordType, action: string, version: string): Reply {
	authenticateLegacy(sim, ctx);
	const call = callOf(sim, ctx, checkVersion(sim, version));
	sim.chargeApiCall();
	switch (type) {
		case 'prospect':
			return prospectAction(call, action);
		case 'opportunity':
			return opportunityAction(call, action);
		case 'listMembership':
			return membershipAction(call, action);
		default:
			return listAction(call, action);
	}
}
