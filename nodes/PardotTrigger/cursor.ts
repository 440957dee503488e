import type { ChangeRecord, Position } from './model';
import { compareIds, SECOND_MS } from './model';

/**
 * The trigger's exact cursor, one per Pardot stream (the seven of model.ts's STREAMS).
 *
 * `position`: every change with a key (second of updatedAt, record id) up to the position has been
 * emitted, or was before the trigger's start. Keys order changes the way Pardot can page them: by
 * second, then by id, so a burst of changes sharing one second is drained a page at a time.
 *
 * `emitted`: id -> the mark (changeMark) of the last change emitted of each record whose key lies
 * after the position: the changes emitted as soon as they were visible, while the position stays a
 * lag window behind Pardot's clock (a write may show up to a minute late with its true, older time,
 * so the reads start there again), and v3/v4 local times in the hour a daylight-saving fall-back
 * repeats, whose key cannot be placed for sure behind the position. A creation emitted on its own
 * is held at its creation time. Entries behind the position are forgotten; at most MEMORY_LIMIT.
 */
export interface StreamCursor {
	position: Position;
	emitted: Record<string, number>;
	/** More changes were waiting when the last poll ended: the next poll reads a window first. */
	backlog?: boolean;
	/**
	 * The position is inside a second that holds more changes than a page (a burst, read by id): the next
	 * read finishes that second by id first, instead of finding it again with a page by change time.
	 */
	burst?: boolean;
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

/** How many emitted changes after its position one stream remembers (about 8 bytes each saved). */
export const MEMORY_LIMIT = 1000;

/**
 * What identifies a record's change in the memory: the latest instant its updated_at can mean (the
 * same Pardot timestamp always gives the same value), one millisecond later for its move to the
 * recycle bin, which may keep the time of the state before it.
 */
export const changeMark = (record: ChangeRecord): number => record.updatedAtMax + (record.deleted ? 1 : 0);

/**
 * Whether this change is new: after the position and not emitted already. A greater mark than the
 * one remembered means a newer change, except for a v3/v4 local time in a repeated DST hour, where a
 * later change can show an earlier-looking time: there any different timestamp is a new change.
 */
export function isNewChange(record: ChangeRecord, cursor: Pick<StreamCursor, 'position' | 'emitted'>): boolean {
	if (!isAfter(stateKey(record), cursor.position)) return false;
	const emittedAt = emittedOf(cursor, record.id);
	if (emittedAt === undefined) return true;
	const mark = changeMark(record);
	if (emittedAt === mark) return false;
	return record.updatedAtMin !== record.updatedAtMax || emittedAt < mark;
}

/**
 * Whether the record was created after the position, so no event of it was emitted before. A
 * record the memory holds was emitted (its creation, or a change since), whatever its creation time says.
 */
export function isCreatedAfter(record: ChangeRecord, cursor: Pick<StreamCursor, 'position' | 'emitted'>): boolean {
	return isAfter(creationKey(record), cursor.position) && emittedOf(cursor, record.id) === undefined;
}

/** The memory's entry for a record id: its own entries only (an id such as "constructor" is no entry). */
export function emittedOf(cursor: Pick<StreamCursor, 'emitted'>, id: string): number | undefined {
	return Object.prototype.hasOwnProperty.call(cursor.emitted, id) ? cursor.emitted[id] : undefined;
}
