import type { ChangeRecord, Position } from './model';
import { compareIds, SECOND_MS } from './model';

/**
 * The trigger's exact cursor, one per Pardot stream (the seven of model.ts's STREAMS).
 *
 * `position`: every change with a key (second of updatedAt, record id) up to the position has been
 * emitted, or was before the trigger's start. Keys order changes the way Pardot can page them: by
 * second, then by id, so a burst of changes sharing one second is drained a page at a time.
 *
 * `emitted`: id -> latest instant its Pardot timestamp can mean, for the few emitted changes whose
 * key cannot be placed for sure behind the position: v3/v4 local times in the hour a daylight-saving
 * fall-back repeats. It is empty the rest of the year.
 */
export interface StreamCursor {
	position: Position;
	emitted: Record<string, number>;
	/** More changes were waiting when the last poll ended: the next poll reads a window first. */
	backlog?: boolean;
	/** When the trigger started on this stream (activation or Start From). */
	start: number;
	/**
	 * Where the position stood when Pardot was last proven not to list this stream's recycle bin (v3/v4
	 * opportunities may not): no DELETED events until the position is a day further, then a new check.
	 */
	noRecycleBin?: number;
	/** Salesforce Leads: prospects reported as open leads and not yet converted (see leads.ts). */
	leads?: string[];
}

export interface ChangeKey {
	at: number;
	id: string;
}

export function compareKeys(a: ChangeKey, b: ChangeKey): number {
	return a.at - b.at || compareIds(a.id, b.id);
}

/** Whether a change's key lies after a position (not yet behind it). */
export function isAfter(key: ChangeKey, position: Position): boolean {
	if (key.at !== position.at) return key.at > position.at;
	return position.id === undefined || compareIds(key.id, position.id) > 0;
}

/** Orders positions: by second; in one second, the start of it first, then by id. */
export function comparePositions(a: Position, b: Position): number {
	if (a.at !== b.at) return a.at - b.at;
	if (a.id === undefined || b.id === undefined) return (a.id === undefined ? 0 : 1) - (b.id === undefined ? 0 : 1);
	return compareIds(a.id, b.id);
}

export function laterPosition(a: Position, b: Position): Position {
	return comparePositions(a, b) >= 0 ? a : b;
}

export function earlierPosition(a: Position, b: Position): Position {
	return comparePositions(a, b) <= 0 ? a : b;
}

/** The position right before a key: everything older than it is behind. */
export function positionBefore(key: ChangeKey, lastBehind?: ChangeKey): Position {
	return lastBehind && lastBehind.at === key.at ? { at: key.at, id: lastBehind.id } : { at: key.at };
}

/** The position after every change older than an instant (changes carry whole seconds). */
export function positionAtInstant(ms: number): Position {
	return { at: Math.ceil(ms / SECOND_MS) * SECOND_MS };
}

export const stateKey = (record: ChangeRecord): ChangeKey => ({ at: record.updatedAt, id: record.id });
export const creationKey = (record: ChangeRecord): ChangeKey => ({ at: record.createdAt, id: record.id });

/** Keeps the latest state of each record: a record changed several times gives one change. */
export function latestPerRecord(records: Iterable<ChangeRecord>): Map<string, ChangeRecord> {
	const byId = new Map<string, ChangeRecord>();
	for (const record of records) {
		const known = byId.get(record.id);
		if (
			!known ||
			record.updatedAt > known.updatedAt ||
			(record.updatedAt === known.updatedAt && record.deleted && !known.deleted)
		) {
			byId.set(record.id, record);
		}
	}
	return byId;
}

/**
 * Whether this change is new: after the position and not emitted already. `emitted` keeps the
 * latest instant a change's updated_at can mean, which identifies the change: the same Pardot
 * timestamp always gives the same value. An older value means a newer change, except for a v3/v4
 * local time in a repeated DST hour, where a later change can show an earlier-looking time: there
 * any different timestamp is a new change.
 */
export function isNewChange(record: ChangeRecord, cursor: StreamCursor): boolean {
	if (!isAfter(stateKey(record), cursor.position)) return false;
	const emittedAt = emittedOf(cursor, record.id);
	if (emittedAt === undefined) return true;
	if (emittedAt === record.updatedAtMax) return false;
	return record.updatedAtMin !== record.updatedAtMax || emittedAt < record.updatedAtMax;
}

/**
 * Whether the record was created after the position, so no event of it was emitted before. A
 * record the DST memory holds was emitted, whatever its ambiguous creation time seems to say.
 */
export function isCreatedAfter(record: ChangeRecord, cursor: Pick<StreamCursor, 'position' | 'emitted'>): boolean {
	return isAfter(creationKey(record), cursor.position) && emittedOf(cursor, record.id) === undefined;
}

/** The DST memory's entry for a record id: its own entries only (an id such as "constructor" is no entry). */
function emittedOf(cursor: Pick<StreamCursor, 'emitted'>, id: string): number | undefined {
	return Object.prototype.hasOwnProperty.call(cursor.emitted, id) ? cursor.emitted[id] : undefined;
}
