/**
 * The simulator's data: prospects and opportunities with a recycle bin and a version history per
 * record (the v5 read lag shows a record as it was `v5ReadLagMs` ago).
 */
import type { RecordType, SimRecord } from './types';
import { parseControlInstant, renderUtcIso } from './time';

export type FieldKind = 'string' | 'number' | 'date' | 'ids';

export interface FieldSpec {
	/** Internal name (the v5 name where v5 has the field). */
	key: string;
	/** v3/v4 name, or null when v3/v4 do not render it as a plain field. */
	legacy: string | null;
	/** v5 name, or null when v5 has no such field. */
	v5: string | null;
	kind: FieldKind;
}

const f = (key: string, legacy: string | null, v5: string | null, kind: FieldKind = 'string'): FieldSpec => ({
	key,
	legacy,
	v5,
	kind,
});

/** Order follows Pardot's v4 rendering of a prospect. */
export const PROSPECT_FIELDS: FieldSpec[] = [
	f('campaignId', 'campaign_id', 'campaignId', 'number'),
	f('salutation', 'salutation', 'salutation'),
	f('firstName', 'first_name', 'firstName'),
	f('lastName', 'last_name', 'lastName'),
	f('email', 'email', 'email'),
	f('company', 'company', 'company'),
	f('website', 'website', 'website'),
	f('jobTitle', 'job_title', 'jobTitle'),
	f('department', 'department', 'department'),
	f('country', 'country', 'country'),
	f('city', 'city', 'city'),
	f('state', 'state', 'state'),
	f('phone', 'phone', 'phone'),
	f('source', 'source', 'source'),
	f('score', 'score', 'score', 'number'),
	f('grade', 'grade', 'grade'),
	f('lastActivityAt', 'last_activity_at', 'lastActivityAt', 'date'),
	f('salesforceLeadId', 'crm_lead_fid', 'salesforceLeadId'),
	f('salesforceContactId', 'crm_contact_fid', 'salesforceContactId'),
	f('salesforceOwnerId', 'crm_owner_fid', 'salesforceOwnerId'),
	f('salesforceAccountId', 'crm_account_fid', 'salesforceAccountId'),
];

export const OPPORTUNITY_FIELDS: FieldSpec[] = [
	f('campaignId', 'campaign_id', 'campaignId', 'number'),
	f('name', 'name', 'name'),
	f('value', 'value', 'value', 'number'),
	f('probability', 'probability', 'probability', 'number'),
	f('type', 'type', 'type'),
	f('stage', 'stage', 'stage'),
	f('status', 'status', 'status'),
	f('closedAt', 'closed_at', 'closedAt', 'date'),
	f('salesforceId', 'crm_opportunity_fid', 'salesforceId'),
	// Rendered by v3/v4 as nested <prospects>; not a v5 field.
	f('prospectIds', null, null, 'ids'),
];

export function fieldSpecs(type: RecordType): FieldSpec[] {
	return type === 'prospect' ? PROSPECT_FIELDS : OPPORTUNITY_FIELDS;
}

export interface Snapshot {
	createdAt: number;
	updatedAt: number;
	deleted: boolean;
	fields: Record<string, unknown>;
}

export interface Version {
	/** When this version was written (simulated ms); the v5 view shows it from at + lag. */
	at: number;
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

const MAX_VERSIONS = 64;
const FIRST_ID: Record<RecordType, number> = { prospect: 10_000_001, opportunity: 500_001 };

function normalizeValue(spec: FieldSpec, value: unknown): unknown {
	if (value === null || value === undefined || value === '') return spec.kind === 'ids' ? [] : null;
	switch (spec.kind) {
		case 'number': {
			const n = Number(value);
			if (!Number.isFinite(n)) throw new Error(`${spec.key} must be a number`);
			return n;
		}
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
	private records: Record<RecordType, Map<number, StoredRecord>> = { prospect: new Map(), opportunity: new Map() };
	private nextId: Record<RecordType, number> = { ...FIRST_ID };

	clear(): void {
		this.records = { prospect: new Map(), opportunity: new Map() };
		this.nextId = { ...FIRST_ID };
	}

	/** Accepts internal, v5 or v3/v4 names (`firstName`, `first_name`, `crm_lead_fid`, `prospect_id`...). */
	normalizeFields(type: RecordType, input: Record<string, unknown> | undefined): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		if (!input) return out;
		const specs = fieldSpecs(type);
		for (const [name, value] of Object.entries(input)) {
			let spec = specs.find((s) => s.key === name || s.legacy === name || s.v5 === name);
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
		record.versions.push({
			at,
			snap: {
				id: record.id,
				type: record.type,
				createdAt: snap.createdAt,
				updatedAt: snap.updatedAt,
				deleted: snap.deleted,
				fields: snap.fields,
			},
		});
		if (record.versions.length > MAX_VERSIONS) record.versions.splice(0, record.versions.length - MAX_VERSIONS);
	}

	create(type: RecordType, fields: Record<string, unknown>, at: number, id?: number): StoredRecord {
		const newId = id ?? this.nextId[type]++;
		if (this.records[type].has(newId)) throw new Error(`${type} ${newId} already exists`);
		if (newId >= this.nextId[type]) this.nextId[type] = newId + 1;
		const record: StoredRecord = { id: newId, type, versions: [] };
		this.push(record, at, {
			createdAt: at,
			updatedAt: at,
			deleted: false,
			fields: { ...this.emptyFields(type), ...fields },
		});
		this.records[type].set(newId, record);
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
		this.push(record, at, { ...cur, updatedAt: at, fields: { ...cur.fields, ...fields } });
		return record;
	}

	setDeleted(type: RecordType, id: number, deleted: boolean, at: number, bump: boolean): StoredRecord {
		const record = this.get(type, id);
		const cur = this.current(record);
		this.push(record, at, { ...cur, deleted, updatedAt: bump ? at : cur.updatedAt });
		return record;
	}

	/** Every record as it is now (v3/v4 and the control API read the latest version). */
	latest(type: RecordType): View[] {
		const out: View[] = [];
		for (const record of this.records[type].values()) out.push(this.current(record));
		return out;
	}

	/** Every record as visible at `visibleAt`: the last version written at or before it (v5 read lag). */
	asOf(type: RecordType, visibleAt: number): View[] {
		const out: View[] = [];
		for (const record of this.records[type].values()) {
			for (let i = record.versions.length - 1; i >= 0; i--) {
				if (record.versions[i].at <= visibleAt) {
					out.push(record.versions[i].snap);
					break;
				}
			}
		}
		return out;
	}

	ids(type: RecordType): number[] {
		return [...this.records[type].keys()];
	}

	/** The control API's ground-truth shape: UTC ISO dates, internal (v5) names. */
	toSimRecord(view: View): SimRecord {
		const out: SimRecord = {
			type: view.type,
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
