import type { IDataObject } from 'n8n-workflow';

import { activityTypeCodes, matchesActivityKinds } from '../../../PardotTrigger/activities';
import { itemError } from '../../api/errors';
import { ACTIVITY_FIELDS_V5 } from '../../api/fields';
import { queryAll, timeFilter } from '../../api/paging';
import type { ItemOperation } from '../../actions/types';

/**
 * Visitor activities (read-only in every API version). v3/v4 filter by type code and prospect; v5 may not
 * (unconfirmed), so there the node asks for every activity after the date and keeps the chosen ones.
 */
export const getMany: ItemOperation = {
	async item(ctx, api, i) {
		const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
		const limit = ctx.getNodeParameter('returnAll', i, false) ? undefined : (ctx.getNodeParameter('limit', i, 50) as number);
		const kinds = (filters.types as string[] | undefined) ?? [];
		const prospectId = filters.prospectId ? String(filters.prospectId).trim() : undefined;
		const createdAfter = timeFilter(api, filters.createdAfter);
		const keep = (r: IDataObject) => matchesActivityKinds(r, kinds) && (!prospectId || String(r.prospectId ?? r.prospect_id) === prospectId);
		try {
			return await queryAll(api, {
				v5Object: 'visitor-activities',
				v5Fields: [...ACTIVITY_FIELDS_V5, 'formId', 'formHandlerId', 'landingPageId', 'emailId', 'fileId'],
				v5Filters: { createdAtAfter: createdAfter },
				legacyObject: 'visitorActivity',
				legacyKey: 'visitor_activity',
				legacyCriteria: { created_after: createdAfter, type: activityTypeCodes(kinds), prospect_id: prospectId },
				limit,
				keep: kinds.length || (prospectId && api.family === 'v5') ? keep : undefined,
			});
		} catch (error) {
			throw itemError(ctx.getNode(), i, error, { what: 'visitor activities' });
		}
	},
};
