import type { StreamCursor } from './cursor';
import { isCreatedAfter } from './cursor';
import type { EventType } from '../common/event';
import type { ChangeRecord } from './model';

/**
 * The type of a record's latest change, seen from the position before this poll: DELETED when it
 * is in Pardot's recycle bin; CREATED when the record was created after the position (so no event
 * of it was ever emitted); UPDATED otherwise. Stricter than Open Connectors' "created date equals
 * updated date", which misreads a record created and edited between two polls. (A creation the
 * position passed while the record's latest state stayed ahead is emitted on its own: plan.ts.)
 */
export function classifyChange(change: ChangeRecord, cursor: Pick<StreamCursor, 'position' | 'emitted'>): EventType {
	if (change.deleted) return 'DELETED';
	return isCreatedAfter(change, cursor) ? 'CREATED' : 'UPDATED';
}

/** For a sample with no cursor (Fetch Test Event): Open Connectors' own rule. */
export function classifySample(change: ChangeRecord): EventType {
	if (change.deleted) return 'DELETED';
	return Math.abs(change.updatedAt - change.createdAt) < 1000 ? 'CREATED' : 'UPDATED';
}
