import type { StreamCursor } from './cursor';
import { positionAtInstant } from './cursor';
import type { Position, Stream } from './model';
import { SECOND_MS, STREAMS } from './model';

/**
 * How the trigger keeps its cursors in the workflow's static data: plain JSON, small, versioned.
 *
 * - version 1 (the package's pre-release builds): `{ cursors: { <stream>: { after: ISO, emitted: {id: ms}, backlog?: 1 } } }`
 * - version 2: `{ version: 2, cursors: { <stream>: { at: ISO, id?, start?: ISO, emitted?, backlog?: 1 | 2 (2: inside a burst), leads?, noBin?: ISO } } }`
 *
 * Every format this package ever wrote is read; anything else is refused (the poll fails and the
 * position stays), never silently replaced by "now", which would lose or repeat events.
 */

export const STATE_VERSION = 2;

export interface StoredStreamV2 {
	/** Everything up to this second (and id, when set) has been emitted. */
	at: string;
	id?: string;
	/** The memory of changes emitted after the position (cursor.ts): compact `base:idDelta.offset[!],...` (ids numeric) or an {id: ms} object. */
	emitted?: string | Record<string, number>;
	backlog?: 1 | 2;
	/** When the trigger started on this stream. */
	start?: string;
	/** When Pardot was last proven not to list this stream's recycle bin (ISO; 1 from earlier builds: long ago). */
	noBin?: string | 1;
	/** Open Salesforce leads reported (leads.ts), compact: sorted id deltas in base 36. */
	leads?: string;
}

export interface StaticState {
	version?: number;
	cursors?: Partial<Record<Stream, unknown>>;
}

export class StateError extends Error {}


export function readState(staticData: StaticState): Partial<Record<Stream, StreamCursor>> {
	const { version, cursors } = staticData;
	if (cursors === undefined && version === undefined) return {};
	if (!cursors || typeof cursors !== 'object' || Array.isArray(cursors)) throw new StateError('its "cursors" entry is not an object');
	if (version !== undefined && version !== STATE_VERSION) throw new StateError(`it has format version ${JSON.stringify(version)}, and this version of the package reads formats 1 and ${STATE_VERSION}`);
	const out: Partial<Record<Stream, StreamCursor>> = {};
	for (const [name, stored] of Object.entries(cursors)) {
		if (!STREAMS.includes(name as Stream)) throw new StateError(`it has a cursor for an unknown stream "${name}"`);
		if (stored === undefined || stored === null) continue;
		out[name as Stream] = version === undefined ? readV1(name, stored) : readV2(name, stored);
	}
	return out;
}

export function writeState(cursors: Partial<Record<Stream, StreamCursor>>): Required<StaticState> {
	const out: Partial<Record<Stream, StoredStreamV2>> = {};
	for (const [name, cursor] of Object.entries(cursors) as Array<[Stream, StreamCursor]>) {
		const stored: StoredStreamV2 = { at: new Date(cursor.position.at).toISOString(), start: new Date(cursor.start).toISOString() };
		if (cursor.position.id !== undefined) stored.id = cursor.position.id;
		if (Object.keys(cursor.emitted).length) stored.emitted = encodeEmitted(cursor.emitted);
		// 2: a backlog, and the position is inside a burst (older versions read it as no backlog: one query more).
		if (cursor.backlog) stored.backlog = cursor.burst ? 2 : 1;
		if (cursor.leads) stored.leads = encodeIds(cursor.leads);
		if (cursor.noRecycleBin !== undefined) stored.noBin = new Date(cursor.noRecycleBin).toISOString();
		out[name] = stored;
	}
	return { version: STATE_VERSION, cursors: out };
}

function instant(value: unknown, what: string): number {
	const ms = typeof value === 'string' ? Date.parse(value) : NaN;
	if (!Number.isFinite(ms)) throw new StateError(`${what} is not a date: ${JSON.stringify(value)}`);
	return ms;
}

function readV1(name: string, stored: unknown): StreamCursor {
	if (typeof stored !== 'object' || Array.isArray(stored)) throw new StateError(`the ${name} cursor is not an object`);
	const { after, emitted, backlog } = stored as { after?: unknown; emitted?: unknown; backlog?: unknown };
	// Version 1 kept `after` at any millisecond: every change before it was emitted.
	const position = positionAtInstant(instant(after, `the ${name} cursor's "after"`));
	// Version 1 did not keep the start: its position is the earliest start the trigger can vouch for.
	const cursor: StreamCursor = { position, start: position.at, emitted: readEmittedObject(name, emitted ?? {}) };
	if (backlog === 1) cursor.backlog = true;
	return cursor;
}

function readV2(name: string, stored: unknown): StreamCursor {
	if (!stored || typeof stored !== 'object' || Array.isArray(stored)) throw new StateError(`the ${name} cursor is not an object`);
	const s = stored as Partial<Record<keyof StoredStreamV2, unknown>>;
	const at = instant(s.at, `the ${name} cursor's "at"`);
	if (at % SECOND_MS !== 0) throw new StateError(`the ${name} cursor's "at" is not a whole second`);
	if (s.id !== undefined && (typeof s.id !== 'string' || !s.id)) throw new StateError(`the ${name} cursor's "id" is not a record id`);
	const position: Position = s.id === undefined ? { at } : { at, id: s.id as string };
	const emitted =
		s.emitted === undefined ? {} : typeof s.emitted === 'string' ? decodeEmitted(name, s.emitted) : readEmittedObject(name, s.emitted);
	const start = s.start === undefined ? at : instant(s.start, `the ${name} cursor's "start"`);
	const cursor: StreamCursor = { position, start, emitted };
	if (s.backlog === 1 || s.backlog === 2) cursor.backlog = true;
	if (s.backlog === 2) cursor.burst = true;
	if (s.noBin === 1) cursor.noRecycleBin = 0;
	else if (s.noBin !== undefined) cursor.noRecycleBin = instant(s.noBin, `the ${name} cursor's "noBin"`);
	if (s.leads !== undefined) {
		if (typeof s.leads !== 'string') throw new StateError(`the ${name} cursor's "leads" is not a string`);
		cursor.leads = decodeIds(name, s.leads);
	}
	return cursor;
}

function readEmittedObject(name: string, value: unknown): Record<string, number> {
	if (!value || typeof value !== 'object' || Array.isArray(value)) throw new StateError(`the ${name} cursor's "emitted" is not an object`);
	const out: Record<string, number> = Object.create(null);
	for (const [id, at] of Object.entries(value)) {
		if (typeof at !== 'number' || !Number.isFinite(at)) throw new StateError(`the ${name} cursor's "emitted" entry ${id} is not a time`);
		out[id] = at;
	}
	return out;
}

// ---- compact encodings: a DST hour can hold thousands of entries --------------------------------

const numericIds = (ids: string[]) => ids.every((id) => /^\d{1,15}$/.test(id));

/** Sorted numeric ids as base-36 deltas: "a,1,3f" (about 2 to 4 characters an id). */
export function encodeIds(ids: string[]): string {
	if (!numericIds(ids)) return JSON.stringify(ids);
	const sorted = ids.map(Number).sort((a, b) => a - b);
	let previous = 0;
	return sorted
		.map((id) => {
			const delta = (id - previous).toString(36);
			previous = id;
			return delta;
		})
		.join(',');
}

export function decodeIds(name: string, text: string): string[] {
	if (text === '') return [];
	if (text.startsWith('[')) {
		const parsed = parseJson(text);
		if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw new StateError(`the ${name} cursor's "leads" is malformed`);
		return parsed;
	}
	let previous = 0;
	return text.split(',').map((part) => {
		const delta = parseInt(part, 36);
		if (!/^[0-9a-z]+$/.test(part) || !Number.isSafeInteger(delta)) throw new StateError(`the ${name} cursor's "leads" is malformed`);
		previous += delta;
		return String(previous);
	});
}

/**
 * {id: ms} with numeric ids and whole-second times (one millisecond more for a move to the recycle
 * bin, cursor.ts changeMark) as "base:idDelta.secondsFromBase[!],...", all base 36; "!" is the extra ms.
 */
export function encodeEmitted(emitted: Record<string, number>): string | Record<string, number> {
	const ids = Object.keys(emitted);
	if (!numericIds(ids) || !Object.values(emitted).every((at) => at % SECOND_MS === 0 || at % SECOND_MS === 1)) return { ...emitted };
	const base = Math.min(...Object.values(emitted).map((at) => Math.floor(at / SECOND_MS)));
	let previous = 0;
	const entries = ids
		.map(Number)
		.sort((a, b) => a - b)
		.map((id) => {
			const at = emitted[String(id)];
			const entry = `${(id - previous).toString(36)}.${(Math.floor(at / SECOND_MS) - base).toString(36)}${at % SECOND_MS ? '!' : ''}`;
			previous = id;
			return entry;
		});
	return `${base.toString(36)}:${entries.join(',')}`;
}

export function decodeEmitted(name: string, text: string): Record<string, number> {
	const malformed = () => new StateError(`the ${name} cursor's "emitted" is malformed`);
	const [baseText, list, extra] = text.split(':');
	if (extra !== undefined || list === undefined || !/^[0-9a-z]+$/.test(baseText)) throw malformed();
	const base = parseInt(baseText, 36);
	const out: Record<string, number> = Object.create(null);
	let previous = 0;
	for (const entry of list ? list.split(',') : []) {
		const m = /^([0-9a-z]+)\.([0-9a-z]+)(!?)$/.exec(entry);
		if (!m) throw malformed();
		previous += parseInt(m[1], 36);
		out[String(previous)] = (base + parseInt(m[2], 36)) * SECOND_MS + (m[3] ? 1 : 0);
	}
	return out;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}
