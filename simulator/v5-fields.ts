/**
 * The v5 representation of a record: the names a v5 `fields` parameter may list for an object, and a
 * record rendered with them (ISO dates with the zone's offset). Shared by the v5 query (v5.ts), the
 * v5 reads and writes of one record (v5-writes.ts) and the Import API (imports.ts).
 */
import type { HandlerState } from './context';
import { PardotError } from './errors';
import { OBJECTS, fieldSpecs } from './objects';
import type { View } from './store';
import { renderIsoOffset } from './time';
import type { RecordType } from './types';

/** A v5 parameter problem: HTTP 400; v5 documents no code per case, these reuse the v3/v4 numbers (51 by default). */
export const badRequest = (message: string, code = 51) => new PardotError(code, 400, message);

/** The object's v5 field list; `isDeleted` only where the object has a recycle bin. */
export function selectableFields(type: RecordType): string[] {
	const names = ['id'];
	for (const spec of fieldSpecs(type)) if (spec.v5) names.push(spec.v5);
	names.push('createdAt', 'updatedAt');
	if (OBJECTS[type].recycleBin) names.push('isDeleted');
	return names;
}

/** `fields=a,b`: required, each one of the object's v5 fields (400, code 13 when absent, 51 for an unknown name). */
export function parseFields(type: RecordType, raw: string | null): string[] {
	if (raw === null || raw.trim() === '') throw badRequest('The fields parameter is required', 13);
	return checkFieldNames(type, raw.split(',').map((s) => s.trim()));
}

/** Each name one of the object's v5 fields, else 400 (code 51). */
export function checkFieldNames(type: RecordType, names: string[]): string[] {
	const allowed = selectableFields(type);
	for (const name of names) {
		if (!allowed.includes(name)) throw badRequest(`Invalid field name in fields: ${name || '(empty)'}`);
	}
	return names;
}

/** One record with the given v5 fields, in the order asked. */
export function renderV5(sim: HandlerState, v: View, fields: string[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const name of fields) {
		if (name === 'id') out.id = v.id;
		else if (name === 'createdAt') out.createdAt = renderIsoOffset(v.createdAt, sim.zone);
		else if (name === 'updatedAt') out.updatedAt = renderIsoOffset(v.updatedAt, sim.zone);
		else if (name === 'isDeleted') out.isDeleted = v.deleted;
		else {
			const spec = fieldSpecs(v.type).find((s) => s.v5 === name)!;
			const value = v.fields[spec.key];
			out[name] = spec.kind === 'date' && typeof value === 'number' ? renderIsoOffset(value, sim.zone) : (value ?? null);
		}
	}
	return out;
}
