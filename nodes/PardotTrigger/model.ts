import type { IDataObject } from 'n8n-workflow';

/**
 * The trigger's vocabulary: the streams it reads, a change as every part sees it, where a read stands,
 * and what a read hands the plan. A leaf: it imports nothing of the package, and every other part of
 * the trigger (the reads, the plan, the state, the transport's adapters) imports it.
 */

/** The Pardot objects the trigger reads, by the name its cursors are stored under. */
export type Stream = 'prospects' | 'opportunities' | 'visitorActivities' | 'listMemberships' | 'lists' | 'campaigns' | 'visitors';

/** Every stream, in the order they are read and their events of one second are emitted. */
export const STREAMS: Stream[] = ['prospects', 'opportunities', 'visitorActivities', 'listMemberships', 'lists', 'campaigns', 'visitors'];

/**
 * One record's latest state as read (Pardot keeps no history): a record changed twice shows only its
 * newest change.
 */
export interface ChangeRecord {
	id: string;
	/** UTC ms, whole seconds. For v3/v4 local times in a repeated DST hour, the most plausible instant. */
	createdAt: number;
	updatedAt: number;
	/** Earliest and latest instants Pardot's updated_at string can mean (equal unless ambiguous). */
	updatedAtMin: number;
	updatedAtMax: number;
	/** Whether the record is in Pardot's recycle bin. */
	deleted: boolean;
	raw: IDataObject;
}

/**
 * Where a read stands, in change order: every change with a key (second, id) up to and including
 * (at, id) is behind it; without an id, every change before the second `at`.
 */
export interface Position {
	at: number;
	id?: string;
}

/** Which records a query covers: live ones, the recycle bin, or both in one query (v5 `deleted=all`). */
export type RecordScope = 'live' | 'bin' | 'both';

/** What one poll read of one stream, as the plan (plan.ts) takes it. */
export interface StreamReadResult {
	/** Everything read for this stream: window or full scan, recycle bin, creations query. */
	records: ChangeRecord[];
	/** Every change visible with a key up to this position has been read: changes up to it may be emitted. */
	frontier: Position;
	/**
	 * Where the lag window starts: a write older than this is visible for sure. The position never
	 * passes it; what is emitted beyond it is remembered (cursor.ts), at most MEMORY_LIMIT changes.
	 */
	settled: Position;
	/** The read stopped before the settle point (a window): more changes are waiting. */
	windowed: boolean;
	/** The second the read stopped inside, by id, because it holds more changes than the read could take (a burst). */
	burstAt?: number;
}

export const SECOND_MS = 1000;

/** The start of the second an instant falls in. */
export function secondOf(ms: number): number {
	return Math.floor(ms / SECOND_MS) * SECOND_MS;
}

/** A whole number as Pardot writes ids: digits, no leading zero. */
const WHOLE_NUMBER = /^(?:0|[1-9]\d*)$/;

/**
 * Record ids compare as whole numbers when both are (Pardot's are), exactly at any length (a longer number is
 * the greater one), else as strings. Equal only when the same id.
 */
export function compareIds(a: string, b: string): number {
	if (a === b) return 0;
	if (a.length !== b.length && WHOLE_NUMBER.test(a) && WHOLE_NUMBER.test(b)) return a.length < b.length ? -1 : 1;
	return a < b ? -1 : 1;
}

/** Whether a prospect counts as a Salesforce lead: synced to a lead, not yet to a contact. */
export function isSalesforceLead(raw: IDataObject): boolean {
	const lead = raw.salesforceLeadId ?? raw.crm_lead_fid;
	const contact = raw.salesforceContactId ?? raw.crm_contact_fid;
	return Boolean(lead) && !contact;
}
