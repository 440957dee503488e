/**
 * The rules every write follows, whatever the API family: which fields a write may set and how their
 * values are read (v3/v4 parameters are text, v5 bodies are JSON), what makes an email valid, which
 * prospect an email names when several share it, whether the account allows that (AMPSEA), and the
 * store writes themselves, stamped at the simulated clock so that the reads see them as versions.
 * Facts and sources: docs/pardot-api-notes.md, "Writing".
 */
import type { HandlerState } from './context';
import { PardotError } from './errors';
import { OBJECTS, fieldSpecs, type FieldSpec } from './objects';
import type { View } from './store';
import { parseIsoWithOffset, parseLegacyDate } from './time';
import type { RecordType, SimulatorConfig } from './types';

/** An address Pardot takes: one `@`, a dot in the domain, no spaces, at most 255 characters (error 4 otherwise). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isValidEmail(value: unknown): value is string {
	return typeof value === 'string' && value.length <= 255 && EMAIL.test(value);
}

/** Whether several prospects may share an email: `ampsea`, or by default the account version (4 = AMPSEA). */
export function allowsSharedEmails(config: Readonly<SimulatorConfig>): boolean {
	return config.ampsea ?? config.accountVersion === 4;
}

const lower = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');

/** Prospects with this email (case-insensitive): live ones, those in the recycle bin, or both. */
export function prospectsWithEmail(sim: HandlerState, email: string, which: 'live' | 'deleted' | 'all'): View[] {
	const wanted = lower(email);
	return sim.store
		.latest('prospect')
		.filter((v) => lower(v.fields.email) === wanted && (which === 'all' || v.deleted === (which === 'deleted')));
}

/**
 * The prospect an email names when several share it: the latest `lastActivityAt` (never active last),
 * then the latest `updatedAt`, then the highest id; with `latestUpdated`, the latest `updatedAt` first.
 */
export function latestOf(views: View[], rule: SimulatorConfig['v5UpsertMatch']): View | undefined {
	const activity = (v: View) => (typeof v.fields.lastActivityAt === 'number' ? v.fields.lastActivityAt : Number.NEGATIVE_INFINITY);
	return [...views].sort((a, b) => {
		if (rule === 'latestActivity' && activity(a) !== activity(b)) return activity(b) - activity(a);
		return b.updatedAt - a.updatedAt || b.id - a.id;
	})[0];
}

/**
 * On an account without AMPSEA an email belongs to one live prospect: a create with a used address is
 * error 9, an update that changes a prospect's email to one another prospect has is error 54.
 */
export function checkEmailFree(sim: HandlerState, email: string, exceptId: number | null, code: 9 | 54): void {
	if (allowsSharedEmails(sim.config)) return;
	if (prospectsWithEmail(sim, email, 'live').some((v) => v.id !== exceptId)) throw new PardotError(code);
}

// ----- field values -----

function specOf(type: RecordType, key: string): FieldSpec {
	return fieldSpecs(type).find((s) => s.key === key)!;
}

/**
 * A v3/v4 parameter value, as text: numbers (56 "Invalid number entered for field"), dates in the
 * account zone or GNU syntax (57), booleans true/false/1/0 (50); an empty value clears the field.
 */
export function legacyValue(sim: HandlerState, spec: FieldSpec, raw: string): unknown {
	const text = raw.trim();
	if (text === '') return null;
	switch (spec.kind) {
		case 'number': {
			if (!/^-?\d+(\.\d+)?$/.test(text)) throw new PardotError(56, undefined, `Invalid number entered for field ${spec.legacy}`);
			return Number(text);
		}
		case 'date': {
			const at = parseLegacyDate(text, sim.zone, sim.now());
			if (at === null) throw new PardotError(57, undefined, `Invalid date entered for field ${spec.legacy}`);
			return at;
		}
		case 'boolean': {
			if (['true', '1'].includes(text.toLowerCase())) return true;
			if (['false', '0'].includes(text.toLowerCase())) return false;
			throw new PardotError(50, undefined, `Invalid boolean for field ${spec.legacy}`);
		}
		default:
			return raw;
	}
}

/** A v5 JSON value: the field's own type or null, else 400 code 154 "Invalid property in request". */
export function v5Value(spec: FieldSpec, value: unknown): unknown {
	const invalid = (what: string) => new PardotError(154, 400, `Invalid property in request: ${spec.v5} must be ${what}`);
	if (value === null) return null;
	switch (spec.kind) {
		case 'number':
			if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid('a number');
			return value;
		case 'boolean':
			if (typeof value !== 'boolean') throw invalid('true or false');
			return value;
		case 'date': {
			const at = typeof value === 'string' ? parseIsoWithOffset(value) : null;
			if (at === null) throw invalid('an ISO 8601 date and time with an offset');
			return at;
		}
		default:
			if (typeof value !== 'string') throw invalid('a string');
			return value;
	}
}

/**
 * The fields a v3/v4 write sets: parameters named like one of the object's editable fields (v3/v4
 * names). Other parameters are left alone: Pardot takes custom fields the same way, and the simulator
 * has none, so an unknown name is ignored rather than refused.
 */
export function legacyFields(sim: HandlerState, type: RecordType, params: URLSearchParams): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key of OBJECTS[type].editable) {
		const spec = specOf(type, key);
		if (!spec.legacy) continue;
		const raw = params.get(spec.legacy);
		if (raw !== null) out[key] = legacyValue(sim, spec, raw);
	}
	return out;
}

/**
 * The fields a v5 write sets: every key of the body must be a v5 name of an editable field (or, for a
 * create, of a field given once at creation such as a membership's `listId`). Read-only fields (id,
 * createdAt, updatedAt, isDeleted...) and unknown names are 400 code 180 "One or more of the specified
 * fields are invalid" (documented: fields not writable in the operation).
 */
export function v5Fields(type: RecordType, body: Record<string, unknown>, onCreate: boolean): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const writable = new Set(OBJECTS[type].editable);
	if (onCreate) for (const key of OBJECTS[type].requiredOnCreate) writable.add(key);
	for (const [name, value] of Object.entries(body)) {
		const spec = fieldSpecs(type).find((s) => s.v5 === name);
		const known = spec !== undefined || ['id', 'createdAt', 'updatedAt', 'isDeleted'].includes(name);
		if (!spec || !writable.has(spec.key)) {
			const why = known ? 'is read-only' : `is not a field of ${OBJECTS[type].label}`;
			throw new PardotError(180, 400, `One or more of the specified fields are invalid: ${name} ${why}`);
		}
		out[spec.key] = v5Value(spec, value);
	}
	return out;
}

/** The email of a prospect write, if it sets one: a valid address (error 4), never cleared on a prospect. */
export function checkProspectEmail(fields: Record<string, unknown>): void {
	if (!('email' in fields)) return;
	if (!isValidEmail(fields.email)) throw new PardotError(4);
}

/** A v5 prospect write's `assignedToId`: a live user (400, code 10 "Invalid user ID" otherwise; the code is a guess). */
export function checkAssignedUser(sim: HandlerState, fields: Record<string, unknown>): void {
	const id = fields.assignedToId;
	if (id === undefined || id === null) return;
	if (!findRecord(sim, 'user', Number(id), true)) throw new PardotError(10, 400, `Invalid user ID: ${String(id)}`);
}

/** A list membership change: opting a member back in is ignored unless `membershipOptIn` says `applied` (pardot/api-docs#125). */
export function membershipFields(sim: HandlerState, current: View | undefined, fields: Record<string, unknown>): Record<string, unknown> {
	if (sim.config.membershipOptIn === 'applied' || fields.optedOut !== false || current?.fields.optedOut !== true) return fields;
	const rest = { ...fields };
	delete rest.optedOut;
	return rest;
}

// ----- store writes, at the simulated clock -----

/** A new record, created and updated now. */
export function createNow(sim: HandlerState, type: RecordType, fields: Record<string, unknown>, at = sim.now()): View {
	const record = sim.store.create(type, fields, at);
	return sim.store.current(record);
}

/** Fields changed now: a new version with `updatedAt` now (also when no value changed: Pardot stamps the save). */
export function updateNow(sim: HandlerState, type: RecordType, id: number, fields: Record<string, unknown>, at = sim.now()): View {
	return sim.store.current(sim.store.update(type, id, fields, at));
}

/** To the recycle bin (`updatedAt` set per `deleteBumpsUpdatedAt`). */
export function deleteNow(sim: HandlerState, type: RecordType, id: number, at = sim.now()): View {
	return sim.store.current(sim.store.setDeleted(type, id, true, at, sim.config.deleteBumpsUpdatedAt));
}

/** Back from the recycle bin (`updatedAt` set per `deleteBumpsUpdatedAt`). */
export function restoreNow(sim: HandlerState, type: RecordType, id: number, at = sim.now()): View {
	return sim.store.current(sim.store.setDeleted(type, id, false, at, sim.config.deleteBumpsUpdatedAt));
}

/** A live record of a type by id, or undefined (not found, or in the recycle bin when `live`). */
export function findRecord(sim: HandlerState, type: RecordType, id: number, live: boolean): View | undefined {
	const found = sim.store.find(type, id);
	return !found || (live && found.deleted) ? undefined : found;
}
