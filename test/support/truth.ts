/**
 * Checks emitted events against the simulator's ground truth: every record changed since the
 * trigger's start has its latest state emitted exactly once, nothing is emitted twice, events of
 * one resource come in change order, and DELETED means in the recycle bin.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { localCandidates, toPardotLocal } from '../../nodes/Pardot/time';
import type { SimulatorHandle } from '../../simulator';

export interface TruthOptions {
	/** Changes at or after this instant must be emitted (the activation second or startFrom). */
	since: number;
	resources?: Array<'contacts' | 'leads'>;
	deletions?: boolean;
	/** CREATED and UPDATED expected (default true). */
	updates?: boolean;
	/**
	 * The account zone for API v3/v4. A change made before the start, in a repeated DST hour, has a
	 * local time that can also mean an instant after the start: emitting it is tolerated (the
	 * trigger prefers a spurious event to a lost one; the README says so).
	 */
	legacyZone?: string;
}

const second = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000;

export function truthProblems(sim: SimulatorHandle, items: INodeExecutionData[], options: TruthOptions): string[] {
	const problems: string[] = [];
	const events = items.map((i) => i.json as IDataObject);
	const seen = new Set<string>();
	const lastDate = new Map<string, string>();
	const latest = new Map<string, IDataObject>();
	for (const e of events) {
		const key = `${e.objectType}:${e.objectId}:${e.date}`;
		if (seen.has(key)) problems.push(`emitted twice: ${key} (${e.eventType})`);
		seen.add(key);
		const previous = lastDate.get(String(e.objectType));
		if (previous && String(e.date) < previous) problems.push(`out of order: ${key} after ${previous}`);
		lastDate.set(String(e.objectType), String(e.date));
		latest.set(`${e.objectType}:${e.objectId}`, e);
	}
	const resources = options.resources ?? ['contacts', 'leads'];
	const wantUpdates = options.updates ?? true;
	const expected = new Map<string, { updatedAt: string; deleted: boolean }>();
	const ignored = new Set<string>();
	const ambiguousBeforeStart = (updatedAt: string) => {
		if (!options.legacyZone) return false;
		const candidates = localCandidates(toPardotLocal(Date.parse(updatedAt), options.legacyZone), options.legacyZone);
		return candidates.length > 1 && candidates[candidates.length - 1] >= options.since;
	};
	for (const [objectType, type] of [
		['contacts', 'prospect'],
		['leads', 'opportunity'],
	] as const) {
		if (!resources.includes(objectType)) continue;
		for (const deleted of [false, true]) {
			for (const r of sim.control.records({ type, deleted })) {
				if (second(r.updatedAt) < options.since) {
					if (ambiguousBeforeStart(r.updatedAt)) ignored.add(`${objectType}:${r.id}`);
					continue;
				}
				if (r.deleted ? !options.deletions : !wantUpdates) {
					ignored.add(`${objectType}:${r.id}`);
					continue;
				}
				expected.set(`${objectType}:${r.id}`, { updatedAt: r.updatedAt, deleted: r.deleted });
			}
		}
	}
	for (const [key, want] of expected) {
		const got = latest.get(key);
		if (!got) {
			problems.push(`never emitted: ${key} updated ${want.updatedAt}${want.deleted ? ' (deleted)' : ''}`);
			continue;
		}
		if (second(String(got.date)) !== second(want.updatedAt)) {
			problems.push(`stale: ${key} last emitted ${got.date}, latest change ${want.updatedAt}`);
		}
		if ((got.eventType === 'DELETED') !== want.deleted) {
			problems.push(`wrong type: ${key} is ${want.deleted ? '' : 'not '}deleted but was emitted as ${got.eventType}`);
		}
	}
	for (const key of latest.keys()) {
		if (!expected.has(key) && !ignored.has(key)) problems.push(`emitted but not expected: ${key} (${latest.get(key)!.date})`);
	}
	return problems;
}
