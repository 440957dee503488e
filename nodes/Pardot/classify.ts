import type { ChangeRecord } from './transport/source';
import type { StreamCursor } from './cursor';

export type EventType = 'CREATED' | 'UPDATED' | 'DELETED';

/**
 * CREATED when the record was created at or after the previous poll's cursor and was never
 * emitted before; DELETED when it is in Pardot's recycle bin; UPDATED otherwise. Stricter than
 * Open Connectors' "created date equals updated date", which misreads a record created and edited
 * between two polls.
 */
export function classify(change: ChangeRecord, previous: StreamCursor): EventType {
	if (change.deleted) return 'DELETED';
	if (change.createdAt >= previous.after && previous.emitted[change.id] === undefined) return 'CREATED';
	return 'UPDATED';
}

/** For a sample with no cursor (Fetch Test Event): Open Connectors' own rule. */
export function classifySample(change: ChangeRecord): EventType {
	if (change.deleted) return 'DELETED';
	return Math.abs(change.updatedAt - change.createdAt) < 1000 ? 'CREATED' : 'UPDATED';
}
