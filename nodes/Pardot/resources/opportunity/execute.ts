import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { DateTime } from 'luxon';

import type { PardotApi } from '../../api/client';
import { legacyRecord } from '../../api/client';
import { inputError, itemError } from '../../api/errors';
import { namesFor, OPPORTUNITY_FIELDS_V5 } from '../../api/fields';
import { queryAll, timeFilter } from '../../api/paging';
import { prospectIdOf } from '../../api/prospects';
import type { ItemOperation, Unavailable } from '../../actions/types';

/** Opportunities: v5 reads them only; v3/v4 also create and update (not with a Salesforce connector). */

const readOnlyOnV5 = (api: PardotApi): Unavailable | undefined =>
	api.family === 'v5'
		? {
				message: 'Pardot API v5 cannot create or update opportunities',
				description:
					'Opportunities are read-only in API v5. Use a Pardot credential with API version 4 (or 3) for this node, or change opportunities in Salesforce when a Salesforce connector syncs them. Nothing was sent.',
			}
		: undefined;

function idOf(ctx: IExecuteFunctions, i: number): string {
	const id = String(ctx.getNodeParameter('opportunityId', i, '') ?? '').trim();
	if (!/^\d+$/.test(id)) throw inputError(ctx.getNode(), i, 'Opportunity ID', id ? `"${id.slice(0, 40)}" is not a number` : 'is empty', 'Give an opportunity ID.');
	return id;
}

/** v3/v4 take dates in the account's time zone, without an offset. */
function legacyFields(api: PardotApi, fields: IDataObject): IDataObject {
	const out = namesFor('legacy', fields);
	if (out.closed_at) out.closed_at = DateTime.fromISO(String(out.closed_at), { setZone: true }).setZone(api.conn.timezone || 'UTC').toFormat('yyyy-LL-dd HH:mm:ss');
	return out;
}

export const create: ItemOperation = {
	unavailable: readOnlyOnV5,
	async item(ctx, api, i) {
		const prospectId = await prospectIdOf(ctx, api, i);
		const name = String(ctx.getNodeParameter('name', i, '') ?? '').trim();
		if (!name) throw inputError(ctx.getNode(), i, 'Name', 'is empty', 'Give the opportunity a name.');
		const fields: IDataObject = {
			name,
			value: ctx.getNodeParameter('value', i),
			probability: ctx.getNodeParameter('probability', i),
			...(ctx.getNodeParameter('additionalFields', i, {}) as IDataObject),
		};
		try {
			const { body } = await api.legacy('opportunity', 'create', [['prospect_id', prospectId]], legacyFields(api, fields), { idempotent: false });
			return legacyRecord(body, 'opportunity');
		} catch (error) {
			throw itemError(ctx.getNode(), i, error, { what: `an opportunity "${name}" of prospect ${prospectId}` }, 'create');
		}
	},
};

export const update: ItemOperation = {
	unavailable: readOnlyOnV5,
	async item(ctx, api, i) {
		const id = idOf(ctx, i);
		const fields = ctx.getNodeParameter('updateFields', i, {}) as IDataObject;
		if (Object.keys(fields).length === 0) throw inputError(ctx.getNode(), i, 'Update Fields', 'are empty', 'Add at least one field to change.');
		try {
			return legacyRecord((await api.legacy('opportunity', 'update', [['id', id]], legacyFields(api, fields))).body, 'opportunity');
		} catch (error) {
			throw itemError(ctx.getNode(), i, error, { what: `opportunity ${id}` });
		}
	},
};

export const get: ItemOperation = {
	async item(ctx, api, i) {
		const id = idOf(ctx, i);
		try {
			if (api.family === 'v5') return (await api.v5('GET', 'opportunities', { id, query: { fields: OPPORTUNITY_FIELDS_V5.join(',') } })).body;
			return legacyRecord((await api.legacy('opportunity', 'read', [['id', id]])).body, 'opportunity');
		} catch (error) {
			throw itemError(ctx.getNode(), i, error, { what: `opportunity ${id}` });
		}
	},
};

export const getMany: ItemOperation = {
	async item(ctx, api, i) {
		const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
		const limit = ctx.getNodeParameter('returnAll', i, false) ? undefined : (ctx.getNodeParameter('limit', i, 50) as number);
		const createdAfter = timeFilter(api, filters.createdAfter);
		const prospectId = filters.prospectId ? String(filters.prospectId).trim() : undefined;
		if (prospectId && api.family === 'v5') {
			throw inputError(ctx.getNode(), i, 'Filters → Prospect ID', 'is not a filter of API v5 opportunities', 'Remove it, or use a v3/v4 credential.');
		}
		try {
			return await queryAll(api, {
				v5Object: 'opportunities',
				v5Fields: OPPORTUNITY_FIELDS_V5,
				v5Filters: { createdAtAfter: createdAfter },
				legacyObject: 'opportunity',
				legacyKey: 'opportunity',
				legacyCriteria: { created_after: createdAfter, prospect_id: prospectId },
				limit,
			});
		} catch (error) {
			throw itemError(ctx.getNode(), i, error, { what: 'opportunities' });
		}
	},
};
