/**
 * The simulator's data: records of every object (objects.ts) with a recycle bin and a version
 * history per record (the read lags show a record as it was some time ago; control.history and
 * control.records asOf read it for test oracles).
 */
import { OBJECTS, RECORD_TYPES, fieldSpecs, type FieldSpec } from './objects';
import type { RecordType, SimRecord } from './types';
import { parseControlInstant, renderUtcIso } from './time';

export { fieldSpecs, type FieldKind, type FieldSpec } from './objects';

export interface Snapshot {
	createdAt: number;
	updatedAt: number;
	deleted: boolean;
	fields: Record<string, unknown>;
}

export interface Version {
	/** When this version was written (simulated ms); the v5 view shows it from at + lag. */
	at: number;
	/**
	 * When reads that honour late writes (lateWriteShare, lateWriteApis) first see it: `at` plus the
	 * write's delay, `at` itself for a write visible at once.
	 */
	visibleAt: number;
	/** Immutable: views are shared, never copied. */
	snap: View;
}

export interface StoredRecord {
	id: number;
	type: RecordType;
	versions: Version[];
}

/** A record as seen at some moment. */
export interface View extends Snapshot {
	id: number;
	type: RecordType;
}

/** Versions kept per record unless the simulator says otherwise (maxRecordVersions). */
const DEFAULT_MAX_VERSIONS = 1_000;

function emptyMaps(): Record<RecordType, Map<number, StoredRecord>> {
	const out = {} as Record<RecordType, Map<number, StoredRecord>>;
	for (const type of RECORD_TYPES) out[type] = new Map();
	return out;
}

function firstIds(): Record<RecordType, number> {
	const out = {} as Record<RecordType, number>;
	for (const type of RECORD_TYPES) out[type] = OBJECTS[type].firstId;
	return out;
}

/** `campaignId` -> `campaign_id`: v3/v4-style names are accepted for v5-only fields too. */
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const membershipKey = (listId: unknown, prospectId: unknown) => `${String(listId)}:${String(prospectId)}`;

/** Booleans as Pardot's clients send them: true/false, 1/0, and their strings. */
function parseBoolean(value: unknown, key: string): boolean {
	if (typeof value === 'boolean') return value;
	const text = String(value).trim().toLowerCase();
	if (text === 'true' || text === '1') return true;
	if (text === 'false' || text === '0') return false;
	throw new Error(`${key} must be true or false`);
}

function normalizeValue(spec: FieldSpec, value: unknown): unknown {
	if (value === null || value === undefined || value === '') return spec.kind === 'ids' ? [] : null;
	switch (spec.kind) {
		case 'number': {
			const n = Number(value);
			if (!Number.isFinite(n)) throw new Error(`${spec.key} must be a number`);
			return n;
		}
		case 'boolean':
			return parseBoolean(value, spec.key);
		case 'date':
			return parseControlInstant(value, spec.key);
		case 'ids': {
			const list = Array.isArray(value) ? value : [value];
			return list.map((v) => {
				const n = Number(v);
				if (!Number.isInteger(n)) throw new Error(`${spec.key} must hold integer ids`);
				return n;
			});
		}
		default:
			return String(value);
	}
}

export class Store {
	/** Versions kept per record; the oldest go first (the v5 and v3/v4 lag, history and records asOf read them). */
	maxVersions = DEFAULT_MAX_VERSIONS;
	/** The delay of each new version in ms (late writes: SimState draws it); none: every write visible at once. */
	writeDelay: (() => number) | undefined;
	private records = emptyMaps();
	private nextId = firstIds();
	/** List membership id by "listId:prospectId" (a prospect is in a list once, live or in the bin). */
	private memberships = new Map<string, number>();

	clear(): void {
		this.records = emptyMaps();
		this.nextId = firstIds();
		this.memberships.clear();
	}

	/** The membership of a prospect in a list, live or in the recycle bin. */
	findMembership(listId: number, prospectId: number): View | undefined {
		const id = this.memberships.get(membershipKey(listId, prospectId));
		return id === undefined ? undefined : this.find('listMembership', id);
	}

	/** Accepts internal, v5 or v3/v4 names (`firstName`, `first_name`, `crm_lead_fid`, `prospect_id`...). */
	normalizeFields(type: RecordType, input: Record<string, unknown> | undefined): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		if (!input) return out;
		const specs = fieldSpecs(type);
		for (const [name, value] of Object.entries(input)) {
			let spec = specs.find((s) => s.key === name || s.legacy === name || s.v5 === name || snake(s.key) === name);
			if (!spec && type === 'opportunity' && ['prospects', 'prospect_ids', 'prospect_id', 'prospectId'].includes(name)) {
				spec = specs.find((s) => s.key === 'prospectIds');
			}
			if (!spec) {
				if (['id', 'createdAt', 'updatedAt', 'created_at', 'updated_at', 'deleted', 'type'].includes(name)) continue;
				throw new Error(`Unknown ${type} field: ${name}`);
			}
			out[spec.key] = normalizeValue(spec, value);
		}
		return out;
	}

	private emptyFields(type: RecordType): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		for (const spec of fieldSpecs(type)) out[spec.key] = spec.kind === 'ids' ? [] : null;
		return out;
	}

	private push(record: StoredRecord, at: number, snap: Snapshot): void {
		const delay = this.writeDelay ? this.writeDelay() : 0;
		record.versions.push({
			at,
			visibleAt: at + delay,
			snap: {
				id: record.id,
				type: record.type,
				createdAt: snap.createdAt,
				updatedAt: snap.updatedAt,
				deleted: snap.deleted,
				fields: snap.fields,
			},
		});
		if (record.versions.length > this.maxVersions) record.versions.splice(0, record.versions.length - this.maxVersions);
	}

	/**
	 * What every record of a type must hold: a visitor activity its type code, a list membership its
	 * list and prospect, once per pair (Pardot's error 58 when the prospect is already a member).
	 */
	private checkRecord(type: RecordType, fields: Record<string, unknown>, id: number | null): void {
		if (type === 'visitorActivity' && (!Number.isInteger(fields.type) || (fields.type as number) < 1)) {
			throw new Error('A visitor activity needs its type: an integer code such as 4 (Success) or 11 (Open)');
		}
		if (type === 'listMembership') {
			if (!Number.isInteger(fields.listId) || !Number.isInteger(fields.prospectId)) {
				throw new Error('A list membership needs listId and prospectId (integers)');
			}
			const other = this.memberships.get(membershipKey(fields.listId, fields.prospectId));
			if (other !== undefined && other !== id) {
				throw new Error(
					`Prospect ${String(fields.prospectId)} is already a member of list ${String(fields.listId)} (membership ${other}; ` +
						'Pardot error 58): update that membership, or use addToList to bring it back from the recycle bin',
				);
			}
		}
	}

	private index(view: View, previous?: View): void {
		if (view.type !== 'listMembership') return;
		if (previous) this.memberships.delete(membershipKey(previous.fields.listId, previous.fields.prospectId));
		this.memberships.set(membershipKey(view.fields.listId, view.fields.prospectId), view.id);
	}

	create(type: RecordType, fields: Record<string, unknown>, at: number, id?: number): StoredRecord {
		if (id !== undefined && (!Number.isInteger(id) || id < 1)) throw new Error('id must be a positive integer');
		if (id !== undefined && this.records[type].has(id)) throw new Error(`${type} ${id} already exists`);
		const all = { ...this.emptyFields(type), ...fields };
		this.checkRecord(type, all, null);
		const newId = id ?? this.nextId[type]++;
		if (newId >= this.nextId[type]) this.nextId[type] = newId + 1;
		const record: StoredRecord = { id: newId, type, versions: [] };
		this.push(record, at, {
			createdAt: at,
			updatedAt: at,
			deleted: false,
			fields: all,
		});
		this.records[type].set(newId, record);
		this.index(this.current(record));
		return record;
	}

	get(type: RecordType, id: number): StoredRecord {
		const record = this.records[type].get(Number(id));
		if (!record) throw new Error(`No ${type} with id ${id}`);
		return record;
	}

	/** The latest version of one record, or undefined. */
	find(type: RecordType, id: number): View | undefined {
		const record = this.records[type].get(id);
		return record ? this.current(record) : undefined;
	}

	current(record: StoredRecord): View {
		return record.versions[record.versions.length - 1].snap;
	}

	update(type: RecordType, id: number, fields: Record<string, unknown>, at: number): StoredRecord {
		const record = this.get(type, id);
		const cur = this.current(record);
		const next = { ...cur.fields, ...fields };
		this.checkRecord(type, next, record.id);
		this.push(record, at, { ...cur, updatedAt: at, fields: next });
		this.index(this.current(record), cur);
		return record;
	}

	setDeleted(type: RecordType, id: number, deleted: boolean, at: number, bump: boolean): StoredRecord {
		const record = this.get(type, id);
		const cur = this.current(record);
		this.push(record, at, { ...cur, deleted, updatedAt: bump ? at : cur.updatedAt });
		return record;
	}

	/**
	 * The version a read sees: the last one written whose `at` is at or before `asOf` (any, when null),
	 * leaving out, when `lateBy` is set, a late write (visibleAt after at) not yet visible at `lateBy`.
	 * With both at the same instant that is the last version whose visibleAt is at or before it.
	 */
	private seen(record: StoredRecord, asOf: number | null, lateBy: number | null): View | undefined {
		for (let i = record.versions.length - 1; i >= 0; i--) {
			const version = record.versions[i];
			if (asOf !== null && version.at > asOf) continue;
			if (lateBy !== null && version.visibleAt > version.at && version.visibleAt > lateBy) continue;
			return version.snap;
		}
		return undefined;
	}

	/**
	 * Every record as it is now (the latest version written, whatever its time; v3/v4 without a lag, the
	 * control API). With `lateBy`, late writes not visible by then are left out (v3/v4 reads with
	 * lateWriteApis 'all'): writes visible at once still count whatever their time, as before.
	 */
	latest(type: RecordType, lateBy?: number): View[] {
		const out: View[] = [];
		for (const record of this.records[type].values()) {
			const view = lateBy === undefined ? this.current(record) : this.seen(record, null, lateBy);
			if (view) out.push(view);
		}
		return out;
	}

	/**
	 * Every record as visible at `visibleAt`: the last version written at or before it (read lags,
	 * records asOf). With `late`, the last version whose visibleAt is at or before it (late writes).
	 */
	asOf(type: RecordType, visibleAt: number, late = false): View[] {
		const out: View[] = [];
		for (const record of this.records[type].values()) {
			const view = this.seen(record, visibleAt, late ? visibleAt : null);
			if (view) out.push(view);
		}
		return out;
	}

	/** One record as visible at `visibleAt` (the v5 read lag; `late` as for asOf), or undefined: not written (or visible) yet, or unknown. */
	findAsOf(type: RecordType, id: number, visibleAt: number, late = false): View | undefined {
		const record = this.records[type].get(id);
		return record ? this.seen(record, visibleAt, late ? visibleAt : null) : undefined;
	}

	/** Every kept version of one record, in the order written. */
	versions(type: RecordType, id: number): readonly Version[] {
		return this.get(type, id).versions;
	}

	ids(type: RecordType): number[] {
		return [...this.records[type].keys()];
	}

	/** The control API's ground-truth shape: UTC ISO dates, internal (v5) names. */
	toSimRecord(view: View): SimRecord {
		const out: SimRecord = {
			type: view.type,
			recordType: view.type,
			id: view.id,
			createdAt: renderUtcIso(view.createdAt),
			updatedAt: renderUtcIso(view.updatedAt),
			deleted: view.deleted,
		};
		for (const spec of fieldSpecs(view.type)) {
			const value = view.fields[spec.key];
			out[spec.key] =
				spec.kind === 'date' && typeof value === 'number'
					? renderUtcIso(value)
					: Array.isArray(value)
						? [...value]
						: value;
		}
		return out;
	}
}
