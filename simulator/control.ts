/**
 * The control API: `sim.control.<name>(...)` in process, `POST /__sim/<name>` with a JSON body over
 * HTTP (controlReply). Writes records at a chosen simulated time, seeds sample data, sets options,
 * the clock and faults, and reads the truth: records, stats, usage. Contract: ARCHITECTURE.md.
 */
import { cloneConfig } from './config';
import { randomChange as randomProspectChange, randomOpportunityChange, sampleOpportunity, sampleProspect } from './data';
import { jsonReply, type Reply } from './render';
import type { SimState } from './state';
import { parseControlInstant, renderUtcIso } from './time';
import type { FaultKind, RecordType, SeedOptions, SimRecord, SimulatorControl, WriteOptions } from './types';

const FAULT_KINDS: FaultKind[] = ['pardotError', 'http', 'html', 'truncated', 'reset', 'delay'];

function writeAt(state: SimState, at: string | undefined): number {
	return at === undefined ? state.now() : parseControlInstant(at, 'at');
}

function simRecord(state: SimState, type: RecordType, id: number): SimRecord {
	const record = state.store.get(type, id);
	return state.store.toSimRecord(state.store.current(record));
}

function checkType(type: unknown): RecordType {
	if (type !== 'prospect' && type !== 'opportunity') throw new Error("type must be 'prospect' or 'opportunity'");
	return type;
}

/** Sample records, spread evenly over [at - spreadMs, at], oldest first, so ids grow with createdAt. */
export function seedRecords(state: SimState, options: SeedOptions = {}): { prospectIds: number[]; opportunityIds: number[] } {
	const { store } = state;
	const rng = state.sampleRng;
	const prospects = Math.max(0, Math.floor(options.prospects ?? 0));
	const opportunities = Math.max(0, Math.floor(options.opportunities ?? 0));
	const end = writeAt(state, options.at);
	const spread = Math.max(0, options.spreadMs ?? 0);
	const prospectIds: number[] = [];
	const opportunityIds: number[] = [];
	const timeOf = (i: number, n: number) => (n <= 1 || spread === 0 ? end : end - spread + Math.round((spread * i) / (n - 1)));
	const existing = store.ids('prospect').length;
	for (let i = 0; i < prospects; i++) {
		const at = timeOf(i, prospects);
		const fields = sampleProspect(rng, existing + i + 1);
		if (rng.next() < 0.7) fields.lastActivityAt = at + Math.floor(rng.next() * Math.max(0, end - at));
		const record = store.create('prospect', store.normalizeFields('prospect', fields), at);
		prospectIds.push(record.id);
	}
	const pool = store.latest('prospect').filter((p) => !p.deleted).map((p) => p.id);
	for (let i = 0; i < opportunities; i++) {
		const at = timeOf(i, opportunities);
		const fields = sampleOpportunity(rng, pool);
		if (fields.status !== 'open') fields.closedAt = at;
		const record = store.create('opportunity', store.normalizeFields('opportunity', fields), at);
		opportunityIds.push(record.id);
	}
	return { prospectIds, opportunityIds };
}

/** One random create / update / delete at the current simulated time (the CLI's change stream). */
export function randomChange(state: SimState): { op: string; type: RecordType; id: number } {
	const { store } = state;
	const rng = state.sampleRng;
	const type: RecordType = rng.next() < 0.75 ? 'prospect' : 'opportunity';
	const live = store.latest(type).filter((r) => !r.deleted);
	const roll = rng.next();
	if (live.length === 0 || roll < 0.3) {
		const seeded = seedRecords(state, type === 'opportunity' ? { opportunities: 1 } : { prospects: 1 });
		const ids = type === 'opportunity' ? seeded.opportunityIds : seeded.prospectIds;
		return { op: 'create', type, id: ids[0] };
	}
	const target = rng.pick(live);
	if (roll < 0.92) {
		const fields = type === 'prospect' ? randomProspectChange(rng) : randomOpportunityChange(rng);
		store.update(type, target.id, store.normalizeFields(type, fields), state.now());
		return { op: 'update', type, id: target.id };
	}
	store.setDeleted(type, target.id, true, state.now(), state.config.deleteBumpsUpdatedAt);
	return { op: 'delete', type, id: target.id };
}

export function createControl(state: SimState): SimulatorControl {
	const { store } = state;
	return {
		reset: () => {
			state.reset();
			return { ok: true };
		},
		configure: (patch) => {
			state.configure(patch ?? {});
			return cloneConfig(state.config);
		},
		clock: (options = {}) => {
			// Checked before anything changes.
			const set = options.set !== undefined ? parseControlInstant(options.set, 'set') : undefined;
			if (options.advanceMs !== undefined && !Number.isFinite(options.advanceMs)) throw new Error('advanceMs must be a number');
			// Freeze (or thaw) first: a clock set and frozen in one call stops exactly at `set`, not a
			// millisecond after it.
			if (options.freeze !== undefined) state.clock.freeze(Boolean(options.freeze));
			if (set !== undefined) state.clock.set(set);
			if (options.advanceMs !== undefined) state.clock.set(state.now() + options.advanceMs);
			return { now: renderUtcIso(state.now()), frozen: state.clock.frozen };
		},
		seed: (options = {}) => seedRecords(state, options),
		create: (options: WriteOptions) => {
			const type = checkType(options?.type);
			const record = store.create(type, store.normalizeFields(type, options.fields), writeAt(state, options.at), options.id);
			return simRecord(state, type, record.id);
		},
		update: (options) => {
			const type = checkType(options?.type);
			store.update(type, options.id, store.normalizeFields(type, options.fields), writeAt(state, options.at));
			return simRecord(state, type, options.id);
		},
		delete: (options) => {
			const type = checkType(options?.type);
			store.setDeleted(type, options.id, true, writeAt(state, options.at), state.config.deleteBumpsUpdatedAt);
			return simRecord(state, type, options.id);
		},
		undelete: (options) => {
			const type = checkType(options?.type);
			store.setDeleted(type, options.id, false, writeAt(state, options.at), state.config.deleteBumpsUpdatedAt);
			return simRecord(state, type, options.id);
		},
		records: (options) => {
			const type = checkType(options?.type);
			return store
				.latest(type)
				.filter((v) => options.deleted === undefined || v.deleted === options.deleted)
				.sort((a, b) => a.id - b.id)
				.map((v) => store.toSimRecord(v));
		},
		fault: (spec) => {
			if (!spec || !FAULT_KINDS.includes(spec.kind)) throw new Error(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
			const pending = state.addFault({ ...spec, remaining: Math.max(1, Math.floor(spec.count ?? 1)) });
			return { ok: true, pending };
		},
		stats: () => state.stats(),
		resetStats: () => state.resetStats(),
		usage: () => state.usage(),
		tokens: (options) => ({ expired: options?.expire ? state.sessions.expireCredentials(state.now() - 1) : 0 }),
	};
}

/** `POST /__sim/<name>`: runs the operation with the JSON body as its argument; 404 unknown, 400 refused. */
export function controlReply(control: SimulatorControl, name: string, body: string): Reply {
	const operations = control as unknown as Record<string, (arg: unknown) => unknown>;
	if (!Object.prototype.hasOwnProperty.call(operations, name) || typeof operations[name] !== 'function') {
		return jsonReply(404, { error: `Unknown control operation: ${name}` });
	}
	try {
		const arg = body.trim() ? JSON.parse(body) : {};
		return jsonReply(200, operations[name](arg) ?? { ok: true });
	} catch (error) {
		return jsonReply(400, { error: (error as Error).message });
	}
}
