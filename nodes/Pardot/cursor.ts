import type { ChangeRecord } from './transport/source';

/**
 * The trigger's exact cursor, one per Pardot stream (prospects, opportunities).
 *
 * `after`: every change with updatedAt < after has been emitted (or was before activation).
 * `emitted`: id -> latest instant (the latest meaning of its updated_at) of the changes at or
 * after `after` that were already emitted. It is what makes re-reading the cursor's own second
 * harmless (strict or inclusive `updated_after`, reads that lag, overlapping windows), and it only
 * holds changes inside the settle window, so it stays small whatever the history.
 */
export interface StreamCursor {
	after: number;
	emitted: Record<string, number>;
	/** The last poll stopped at the limit: more changes are waiting (the next poll reads a window first). */
	backlog?: boolean;
}

export interface Plan {
	/** New, settled changes in change order, within the limit. */
	processed: ChangeRecord[];
	next: StreamCursor;
	/** True when the limit cut the poll short: the rest comes in the next polls. */
	cut: boolean;
}

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
 * Whether this change is new: not older than the cursor and not emitted already. `emitted` keeps
 * the latest instant a change's updated_at can mean, which identifies the change: the same
 * Pardot timestamp always gives the same value. An older value means a newer change, except for a
 * v3/v4 local time in a repeated DST hour, where a later change can show an earlier-looking time:
 * there any different timestamp is a new change.
 */
export function isNewChange(record: ChangeRecord, cursor: StreamCursor): boolean {
	if (record.updatedAtMax < cursor.after) return false;
	const emittedAt = cursor.emitted[record.id];
	if (emittedAt === undefined) return true;
	if (emittedAt === record.updatedAtMax) return false;
	return record.updatedAtMin !== record.updatedAtMax || emittedAt < record.updatedAtMax;
}

export function compareChanges(a: ChangeRecord, b: ChangeRecord): number {
	if (a.updatedAt !== b.updatedAt) return a.updatedAt - b.updatedAt;
	const na = Number(a.id);
	const nb = Number(b.id);
	if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Decides what a poll emits and where the cursor goes.
 *
 * Only settled changes are emitted: those before `completeTo`, the instant up to which the scans
 * are known to be complete (Pardot's clock at scan start minus the settle margin, or the end of a
 * narrowed window). A newer change waits for the next poll, so a write that landed behind the scan
 * can never be emitted after a later one: events stay in change order across polls.
 *
 * @param records     everything the scans returned (duplicates and old records allowed)
 * @param cursor      the cursor before this poll
 * @param eventsOf    how many events a change produces (0 when its type is not selected)
 * @param limit       the most events this poll may emit
 * @param completeTo  every change before this instant has been read by the scans
 */
export function plan(
	records: Iterable<ChangeRecord>,
	cursor: StreamCursor,
	eventsOf: (record: ChangeRecord) => number,
	limit: number,
	completeTo: number,
): Plan {
	const settled = [...latestPerRecord(records).values()]
		.filter((r) => r.updatedAt < completeTo && isNewChange(r, cursor))
		.sort(compareChanges);
	const processed: ChangeRecord[] = [];
	let events = 0;
	let cutAt: ChangeRecord | undefined;
	for (const change of settled) {
		const n = eventsOf(change);
		if (n > 0 && events + n > limit && events > 0) {
			cutAt = change;
			break;
		}
		events += n;
		processed.push(change);
	}
	const after = Math.max(cursor.after, cutAt ? cutAt.updatedAtMin : completeTo);
	const emitted: Record<string, number> = {};
	for (const [id, at] of Object.entries(cursor.emitted)) if (at >= after) emitted[id] = at;
	for (const change of processed) {
		if (change.updatedAtMax >= after) emitted[change.id] = Math.max(emitted[change.id] ?? 0, change.updatedAtMax);
	}
	const cut = cutAt !== undefined;
	return { processed, next: cut ? { after, emitted, backlog: true } : { after, emitted }, cut };
}

/** How the cursor is stored in workflow static data: plain JSON, small and stable. */
export interface StoredCursor {
	after: string;
	emitted: Record<string, number>;
	backlog?: 1;
}

export function serializeCursor(cursor: StreamCursor): StoredCursor {
	const stored: StoredCursor = { after: new Date(cursor.after).toISOString(), emitted: { ...cursor.emitted } };
	if (cursor.backlog) stored.backlog = 1;
	return stored;
}

export function deserializeCursor(stored: unknown): StreamCursor | undefined {
	if (!stored || typeof stored !== 'object') return undefined;
	const { after, emitted, backlog } = stored as Partial<StoredCursor>;
	const afterMs = typeof after === 'string' ? Date.parse(after) : NaN;
	if (!Number.isFinite(afterMs)) return undefined;
	const clean: Record<string, number> = {};
	if (emitted && typeof emitted === 'object') {
		for (const [id, at] of Object.entries(emitted)) if (typeof at === 'number' && Number.isFinite(at)) clean[id] = at;
	}
	return backlog === 1 ? { after: afterMs, emitted: clean, backlog: true } : { after: afterMs, emitted: clean };
}
