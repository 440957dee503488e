import type { EventType } from '../common/event';
import type { ChangeRecord } from './model';
import { isSalesforceLead } from './model';

/**
 * Leads Are "Salesforce Leads": a prospect synced to a Salesforce lead and not yet to a contact.
 * Its life as a lead is told from the trigger's own memory of the open leads it reported:
 *
 * - CREATED when the trigger first sees the prospect as a lead and the prospect was created after
 *   the trigger's start (Pardot keeps no date for when a prospect became a lead, so for an older
 *   prospect the trigger cannot tell a new lead from one it never saw: that first event is UPDATED);
 * - UPDATED while it stays a lead, and once more when it converts (it gets a Salesforce contact id)
 *   or loses its lead id: that is its last leads event;
 * - DELETED when it moves to the recycle bin.
 *
 * The memory holds the ids of open leads reported since the trigger started; converted and
 * deleted ones leave it.
 */
export interface LeadsMemory {
	open: Set<string>;
	/** The trigger's start: prospects created at or after it were never leads before it. */
	start: number;
}

/** The leads event for a prospect change of type `type`, or undefined when it is none. */
export function leadEventType(record: ChangeRecord, type: EventType, memory: LeadsMemory): EventType | undefined {
	const known = memory.open.has(record.id);
	const lead = isSalesforceLead(record.raw);
	if (type === 'DELETED') return known || lead ? 'DELETED' : undefined;
	if (lead) return known ? 'UPDATED' : type === 'CREATED' || record.createdAt >= memory.start ? 'CREATED' : 'UPDATED';
	// No longer a lead: converted to a contact, or unlinked.
	return known ? 'UPDATED' : undefined;
}

/** Updates the memory after a leads event was emitted. */
export function rememberLead(record: ChangeRecord, type: EventType, memory: LeadsMemory): void {
	if (type !== 'DELETED' && isSalesforceLead(record.raw)) memory.open.add(record.id);
	else memory.open.delete(record.id);
}
