/**
 * Pardot API v5, one record at a time: read (`GET /api/v5/objects/<object>/<id>`, every object), and
 * for prospects, list memberships and lists create (POST on the collection), update (PATCH) and
 * delete (DELETE, to the recycle bin); `POST /api/v5/objects/prospects/do/upsertLatestByEmail`.
 * v5 documents no opportunity, visitor activity, campaign or visitor writes: those answer 405 (code
 * 60). Conventions (docs-2021 version5overview): create 201 with the `fields` asked (default `id`) and
 * a Location header; update 200 with the `fields` asked, 204 without; delete 204; a record that does
 * not exist or is in the recycle bin 404. Facts and sources: docs/pardot-api-notes.md, "Writing".
 */
import { authenticateV5 } from './auth';
import { jsonObject } from './bodies';
import type { HandlerState, RequestContext } from './context';
import { PardotError } from './errors';
import { OBJECTS } from './objects';
import { emptyReply, jsonReply, type Reply } from './render';
import type { View } from './store';
import type { RecordType } from './types';
import { badRequest, checkFieldNames, parseFields, renderV5 } from './v5-fields';
import {
	allowsSharedEmails,
	checkAssignedUser,
	checkEmailFree,
	checkProspectEmail,
	createNow,
	deleteNow,
	findRecord,
	isValidEmail,
	latestOf,
	membershipFields,
	prospectsWithEmail,
	restoreNow,
	updateNow,
	v5Fields,
} from './writes';

/** `Pardot-Warning` of a call that failed because the record is in the recycle bin (docs-2021 version5overview). */
export const RECYCLE_BIN_WARNING = '201;Record In Recycle Bin';

const methodNotAllowed = () => new PardotError(60, 405, 'Invalid HTTP request method');

/** The id in `/api/v5/objects/<object>/<id>`. */
function pathId(ctx: RequestContext): number {
	return Number(/\/(\d+)\/?$/.exec(ctx.url.pathname)![1]);
}

/** Query parameters a write or read of one record takes; any other is 400. */
function checkQuery(ctx: RequestContext, allowed: string[]): void {
	for (const name of ctx.query.keys()) {
		if (!allowed.includes(name)) throw badRequest(`Unknown parameter: ${name}`);
	}
}

/** 404 for a record that does not exist (code 192), or is in the recycle bin (with the `Pardot-Warning` header). */
function notFound(type: RecordType, id: number, deleted: boolean, code = 192): PardotError {
	const message = deleted
		? `${code === 219 ? "Deleted records can't be updated. Please undelete before updating." : 'Object specified does not exist'} (${type} ${id} is in the recycle bin)`
		: `Object specified does not exist: no ${type} with id ${id}`;
	return new PardotError(code, 404, message, deleted ? { 'Pardot-Warning': RECYCLE_BIN_WARNING } : {});
}

/** The live record a write of one record is about, or 404. */
function liveRecord(sim: HandlerState, type: RecordType, id: number, code = 192): View {
	const found = sim.store.find(type, id);
	if (!found) throw notFound(type, id, false);
	if (found.deleted) throw notFound(type, id, true, code);
	return found;
}

/** `fields` of a write's answer: the query parameter, else `fallback` (null: no body). */
function answerFields(type: RecordType, ctx: RequestContext, fallback: string[] | null): string[] | null {
	const raw = ctx.query.get('fields');
	if (raw === null || raw.trim() === '') return fallback;
	return parseFields(type, raw);
}

function location(ctx: RequestContext, type: RecordType, id: number, fields: string[]): string {
	return `${ctx.origin}/api/v5/objects/${OBJECTS[type].v5Path}/${id}?fields=${encodeURIComponent(fields.join(','))}`;
}

/** An HTTP date, to the second. */
const httpDate = (ms: number) => new Date(ms).toUTCString();

/**
 * `GET /api/v5/objects/<object>/<id>?fields=...[&deleted=true]`: `fields` required; `deleted=true`
 * (objects with a recycle bin) reads a record in the bin too, else it is 404. Reads lag writes as
 * queries do (v5ReadLagMs, late writes). `Last-Modified` is the record's updatedAt; `If-Modified-Since` at or after
 * it answers 304 with no body (docs-2021 version5overview).
 */
export function v5ReadOne(sim: HandlerState, ctx: RequestContext, type: RecordType): Reply {
	if (ctx.method !== 'GET') throw methodNotAllowed();
	authenticateV5(sim, ctx);
	sim.chargeApiCall();
	const bin = OBJECTS[type].recycleBin;
	checkQuery(ctx, ['fields', ...(bin ? ['deleted'] : [])]);
	const fields = parseFields(type, ctx.query.get('fields'));
	const deletedRaw = ctx.query.get('deleted');
	if (deletedRaw !== null && deletedRaw !== 'true' && deletedRaw !== 'false') throw badRequest('Invalid value for deleted: use true or false');
	const id = pathId(ctx);
	const found = sim.store.findAsOf(type, id, sim.now() - sim.v5Staleness(), true);
	if (!found) throw notFound(type, id, false);
	if (found.deleted && deletedRaw !== 'true') throw notFound(type, id, true);
	const lastModified = Math.floor(found.updatedAt / 1000) * 1000;
	const since = Date.parse(String(ctx.headers['if-modified-since'] ?? ''));
	if (Number.isFinite(since) && lastModified <= since) return emptyReply(304, { 'Last-Modified': httpDate(lastModified) });
	return jsonReply(200, renderV5(sim, found, fields), { 'Last-Modified': httpDate(lastModified) });
}

/** The list and prospect of a new membership: both live (400: 55 "Invalid list ID", 3 "Invalid prospect ID"). */
function checkMembershipTargets(sim: HandlerState, fields: Record<string, unknown>): void {
	for (const key of ['listId', 'prospectId']) {
		if (fields[key] === undefined || fields[key] === null) throw new PardotError(153, 400, `Missing required property in request: ${key}`);
	}
	if (!Number.isInteger(fields.listId) || !findRecord(sim, 'list', fields.listId as number, true)) {
		throw new PardotError(55, 400, `Invalid list ID: ${String(fields.listId)}`);
	}
	if (!Number.isInteger(fields.prospectId) || !findRecord(sim, 'prospect', fields.prospectId as number, true)) {
		throw new PardotError(3, 400, `Invalid prospect ID: ${String(fields.prospectId)}`);
	}
}

function requireName(fields: Record<string, unknown>, onCreate: boolean): void {
	if (onCreate && (fields.name === undefined || fields.name === null)) throw new PardotError(153, 400, 'Missing required property in request: name');
	if ('name' in fields && (typeof fields.name !== 'string' || fields.name.trim() === '')) {
		throw new PardotError(154, 400, 'Invalid property in request: name must not be empty');
	}
}

/**
 * `POST /api/v5/objects/<object>` with a JSON body of editable fields. Prospects: `email` required and
 * valid (4); without AMPSEA an address a live prospect has is 9. Lists: `name` required. List
 * memberships: `listId` and `prospectId` of a live list and prospect (55 / 3); a prospect already in
 * the list is 58; one removed before comes back from the recycle bin (same id).
 */
export function v5Create(sim: HandlerState, ctx: RequestContext, type: RecordType): Reply {
	if (ctx.method !== 'POST') throw methodNotAllowed();
	authenticateV5(sim, ctx);
	sim.chargeApiCall();
	checkQuery(ctx, ['fields']);
	const fields = answerFields(type, ctx, ['id'])!;
	const input = v5Fields(type, jsonObject(String(ctx.headers['content-type'] ?? ''), ctx.body), true);
	let record: View;
	if (type === 'prospect') {
		if (input.email === undefined) throw new PardotError(153, 400, 'Missing required property in request: email');
		checkProspectEmail(input);
		checkAssignedUser(sim, input);
		checkEmailFree(sim, input.email as string, null, 9);
		record = createNow(sim, type, input);
	} else if (type === 'list') {
		requireName(input, true);
		record = createNow(sim, type, input);
	} else {
		checkMembershipTargets(sim, input);
		const existing = sim.store.findMembership(input.listId as number, input.prospectId as number);
		if (existing && !existing.deleted) {
			throw new PardotError(58, 400, `That prospect is already a member of that list (membership ${existing.id}). Update the membership instead.`);
		}
		if (existing) {
			// Pardot marks removed memberships deleted and un-marks them on a re-add (pardot/api-docs#73).
			restoreNow(sim, type, existing.id);
			const change = membershipFields(sim, existing, { optedOut: input.optedOut ?? false });
			record = updateNow(sim, type, existing.id, change);
		} else {
			record = createNow(sim, type, { optedOut: false, ...input });
		}
	}
	return jsonReply(201, renderV5(sim, record, fields), { Location: location(ctx, type, record.id, fields) });
}

/**
 * `PATCH /api/v5/objects/<object>/<id>` with the fields to change (omitted ones stay). 404 for an
 * unknown record, 404 code 219 for one in the recycle bin; 200 with `fields`, else 204.
 */
export function v5Update(sim: HandlerState, ctx: RequestContext, type: RecordType): Reply {
	if (ctx.method !== 'PATCH') throw methodNotAllowed();
	authenticateV5(sim, ctx);
	sim.chargeApiCall();
	checkQuery(ctx, ['fields']);
	const fields = answerFields(type, ctx, null);
	const id = pathId(ctx);
	const current = liveRecord(sim, type, id, 219);
	let input = v5Fields(type, jsonObject(String(ctx.headers['content-type'] ?? ''), ctx.body), false);
	if (type === 'prospect') {
		checkProspectEmail(input);
		checkAssignedUser(sim, input);
		if (typeof input.email === 'string' && input.email.toLowerCase() !== String(current.fields.email ?? '').toLowerCase()) {
			checkEmailFree(sim, input.email, id, 54);
		}
	}
	if (type === 'list') requireName(input, false);
	if (type === 'listMembership') input = membershipFields(sim, current, input);
	const record = updateNow(sim, type, id, input);
	return fields ? jsonReply(200, renderV5(sim, record, fields)) : emptyReply(204);
}

/** `DELETE /api/v5/objects/<object>/<id>`: to the recycle bin, 204; 404 when unknown or already there. */
export function v5Delete(sim: HandlerState, ctx: RequestContext, type: RecordType): Reply {
	if (ctx.method !== 'DELETE') throw methodNotAllowed();
	authenticateV5(sim, ctx);
	sim.chargeApiCall();
	checkQuery(ctx, []);
	const id = pathId(ctx);
	liveRecord(sim, type, id);
	deleteNow(sim, type, id);
	return emptyReply(204);
}

const UPSERT_PROPERTIES = ['matchEmail', 'prospect', 'fields', 'secondaryDeletedSearch'];

/** `fields` of an upsert: the body's (a list or comma-separated text), else the query's, else `id`. */
function upsertFields(ctx: RequestContext, raw: unknown): string[] {
	if (raw === undefined || raw === null) return answerFields('prospect', ctx, ['id'])!;
	const names = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
	if (!names || names.some((n) => typeof n !== 'string')) throw new PardotError(154, 400, 'Invalid property in request: fields must be a list of field names');
	return checkFieldNames('prospect', (names as string[]).map((n) => n.trim()));
}

/**
 * `POST /api/v5/objects/prospects/do/upsertLatestByEmail` with `{ matchEmail, prospect: {...},
 * fields?: [...], secondaryDeletedSearch?: boolean }`. Updates the live prospect with that email
 * (several: v5UpsertMatch picks one); else, without AMPSEA or with `secondaryDeletedSearch`, brings the
 * one in the recycle bin back and updates it; else creates one (email: `prospect.email`, else
 * `matchEmail`). 201 when it created, 200 when it updated (v5UpsertStatus); the body has `fields`.
 */
export function v5UpsertLatestByEmail(sim: HandlerState, ctx: RequestContext): Reply {
	if (ctx.method !== 'POST') throw methodNotAllowed();
	authenticateV5(sim, ctx);
	sim.chargeApiCall();
	checkQuery(ctx, ['fields']);
	const body = jsonObject(String(ctx.headers['content-type'] ?? ''), ctx.body);
	for (const name of Object.keys(body)) {
		if (!UPSERT_PROPERTIES.includes(name)) throw new PardotError(154, 400, `Invalid property in request: ${name}`);
	}
	const fields = upsertFields(ctx, body.fields);
	if (body.matchEmail === undefined || body.matchEmail === null) throw new PardotError(153, 400, 'Missing required property in request: matchEmail');
	if (!isValidEmail(body.matchEmail)) throw new PardotError(4, 400, `Invalid prospect email address: ${String(body.matchEmail)}`);
	if (body.prospect === undefined || body.prospect === null) throw new PardotError(153, 400, 'Missing required property in request: prospect');
	if (typeof body.prospect !== 'object' || Array.isArray(body.prospect)) throw new PardotError(154, 400, 'Invalid property in request: prospect must be an object');
	const secondary = body.secondaryDeletedSearch ?? false;
	if (typeof secondary !== 'boolean') throw new PardotError(154, 400, 'Invalid property in request: secondaryDeletedSearch must be true or false');
	const input = v5Fields('prospect', body.prospect as Record<string, unknown>, true);
	checkProspectEmail(input);
	checkAssignedUser(sim, input);
	const matchEmail = body.matchEmail;

	const rule = sim.config.v5UpsertMatch;
	let target = latestOf(prospectsWithEmail(sim, matchEmail, 'live'), rule);
	let restored = false;
	if (!target && (!allowsSharedEmails(sim.config) || secondary)) {
		target = latestOf(prospectsWithEmail(sim, matchEmail, 'deleted'), rule);
		restored = target !== undefined;
	}
	if (target) {
		if (typeof input.email === 'string' && input.email.toLowerCase() !== String(target.fields.email ?? '').toLowerCase()) {
			checkEmailFree(sim, input.email, target.id, 54);
		}
		if (restored) restoreNow(sim, 'prospect', target.id);
		const record = updateNow(sim, 'prospect', target.id, input);
		return jsonReply(sim.config.v5UpsertStatus === 'always201' ? 201 : 200, renderV5(sim, record, fields));
	}
	const email = (input.email as string | undefined) ?? matchEmail;
	checkEmailFree(sim, email, null, 9);
	const record = createNow(sim, 'prospect', { ...input, email });
	return jsonReply(201, renderV5(sim, record, fields), { Location: location(ctx, 'prospect', record.id, fields) });
}
