import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { keepMessage } from '../../common/errors';
import { mayHaveBeenApplied, pardotErrorCode } from '../../shared/transport';

/**
 * What a failed item tells the user: which item, which field or record, what Pardot said, and what to do.
 * The transport's messages say what happened; here they get the item and the action node's next step.
 */

/** Where an item's failure happened, for the message. */
export interface Subject {
	/** "prospect", "list 12", "list membership of prospect 5 in list 12"... */
	what: string;
	/** The parameter that holds the value at fault, when one does (e.g. "Email"). */
	field?: string;
	/** Custom field names the request carried, for a refused field (error 180, or 51 for a name in `fields`). */
	customFields?: string[];
}

/** The item an error already names (n8n keeps the index in the error's context). */
export function itemIndexOf(error: unknown): number | undefined {
	const e = error as { itemIndex?: unknown; context?: { itemIndex?: unknown } };
	const index = e?.context?.itemIndex ?? e?.itemIndex;
	return typeof index === 'number' ? index : undefined;
}

/** Bad input found before anything was sent. */
export function inputError(node: INode, itemIndex: number, field: string, problem: string, fix: string): NodeOperationError {
	const message = `Item ${itemIndex}: ${field} ${problem}`;
	const error = new NodeOperationError(node, message, { itemIndex, description: `${fix} Nothing was sent to Pardot for this item.` });
	return keepMessage(error, message);
}

/** What Pardot's error codes mean for a write or read of one item. */
function meaning(code: number, subject: Subject): { problem: string; fix: string } | undefined {
	switch (code) {
		case 3:
		case 192:
			return { problem: `${subject.what} was not found`, fix: 'Check the ID (it may have been deleted for good).' };
		case 4:
			return { problem: `${subject.field ?? 'Email'} is not a valid or known email address`, fix: 'Correct the address.' };
		case 9:
			return {
				problem: `a prospect with this email already exists`,
				fix: 'This account allows one prospect per email: use Prospect → Upsert by Email to update it.',
			};
		case 54:
			return { problem: `the email is used by another prospect`, fix: 'This account allows one prospect per email.' };
		case 55:
			return { problem: `the list does not exist (or is deleted)`, fix: 'Pick a list from the List parameter.' };
		case 58:
			return {
				problem: 'the prospect is already a member of this list',
				fix: 'Use List Membership → Update to opt it in or out instead.',
			};
		case 16:
			return { problem: `${subject.what} does not exist`, fix: 'The prospect is not (or no longer) on this list.' };
		case 132:
		case 219:
			return {
				problem: `${subject.what} is in Pardot's recycle bin`,
				fix: 'Restore it in Pardot (Prospects → Recycle Bin) first, or use Upsert by Email, which brings it back.',
			};
		case 51:
		case 180:
			return {
				problem: `Pardot refused a field${subject.customFields?.length ? ` (Custom Fields: ${subject.customFields.join(', ')})` : ''}: not a field of this object, or not writable`,
				fix: 'Pick fields from the lists; read-only fields (grade, dates, Salesforce ids) cannot be written.',
			};
		case 37:
			return { problem: 'opportunities are read-only with a Salesforce connector', fix: 'Change the opportunity in Salesforce.' };
		case 35:
			return { problem: `${subject.what} was not found`, fix: 'Check the opportunity ID.' };
		case 60:
		case 405:
			return { problem: 'this operation is not available in this API version', fix: 'See the node\'s notice and the README.' };
		case 122:
			return {
				problem: 'Pardot\'s daily API call limit is reached (error 122)',
				fix: 'Pardot refuses further calls until the daily reset (midnight in the account\'s time zone) or until an administrator raises the limit. Items not yet sent were not sent.',
			};
		default:
			return undefined;
	}
}

/**
 * The error an item ends with. A Pardot error gets the item, the subject and the next step; a write that may
 * have been done (timeout or dropped connection after sending) says so and what to check.
 */
export function itemError(node: INode, itemIndex: number, error: unknown, subject: Subject, write: 'create' | 'other' = 'other'): Error {
	if (itemIndexOf(error) === itemIndex) return error as Error;
	const original = error as NodeApiError;
	const code = pardotErrorCode(error);
	let message = `Item ${itemIndex}: ${original.message}`;
	// The transport speaks of polls and positions (the trigger's words): keep what applies to an item.
	let description = String(original.description ?? '')
		.split(/(?<=\.)\s+/)
		.filter((sentence) => !/\bpoll|\btrigger|position/i.test(sentence))
		.join(' ');
	if (code !== undefined) {
		const known = meaning(code, subject);
		if (known) {
			message = `Item ${itemIndex}: ${known.problem} (Pardot error ${code})`;
			description = `${known.fix} ${original.message}.`;
		}
	} else if (mayHaveBeenApplied(error) && write === 'create') {
		description = `The request was sent but no answer came back, so Pardot may have created ${subject.what}. It was not retried: Pardot has no idempotency key, and a second create would make a duplicate. Check in Pardot (or with Get) before running this item again, or use Upsert by Email, which is safe to repeat.`;
	} else if (mayHaveBeenApplied(error)) {
		description = `The request was sent but no answer came back: it may have been done. Check ${subject.what} in Pardot before running this item again.`;
	}
	const wrapped =
		error instanceof NodeApiError
			? new NodeApiError(node, { message, description }, { message, description, httpCode: original.httpCode ?? undefined, itemIndex })
			: new NodeOperationError(node, message, { itemIndex, description });
	keepMessage(wrapped, message);
	if (code !== undefined) Object.assign(wrapped, { pardotErrorCode: code });
	return wrapped;
}

/** An error passed on as n8n wants a node's errors: a NodeApiError or NodeOperationError as it is, else wrapped. */
export function nodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error);
}

/** Errors that end the whole execution, not just the item (nothing later would get through either). */
export function stopsExecution(error: unknown): boolean {
	const code = pardotErrorCode(error);
	return code === 122 || code === 1 || code === 15 || code === 181 || code === 184 || code === 199 || code === 201 || code === 131;
}
