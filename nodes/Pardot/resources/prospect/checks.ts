import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PardotApi } from '../../api/client';

/**
 * v3/v4 take custom fields as plain parameters and ignore a name they do not know, without an error. The
 * answer carries every field of the prospect, so a custom field missing from it is one Pardot does not have:
 * the item fails naming it, and says the rest was written (v5 refuses such a write with error 180 instead).
 */
export function checkTaken(ctx: IExecuteFunctions, api: PardotApi, i: number, record: IDataObject, custom: string[]): IDataObject {
	if (api.family === 'v5' || custom.length === 0) return record;
	const missing = custom.filter((name) => !(name in record));
	if (missing.length === 0) return record;
	const names = missing.map((n) => `"${n}"`).join(', ');
	const message = `Item ${i}: Custom Fields ${names} ${missing.length === 1 ? 'is not a field' : 'are not fields'} of this Pardot account`;
	throw new NodeOperationError(ctx.getNode(), message, {
		itemIndex: i,
		description: `Pardot ignored ${missing.length === 1 ? 'it' : 'them'} and wrote the other fields to prospect ${String(record.id)}. Pick custom fields from the list (v3/v4 use the field ID, e.g. "favorite_color"), then run the item again.`,
	});
}
