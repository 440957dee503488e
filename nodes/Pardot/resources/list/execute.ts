import type { IDataObject } from 'n8n-workflow';

import { legacyRecord } from '../../api/client';
import { inputError, itemError } from '../../api/errors';
import { LIST_FIELDS_V5, namesFor } from '../../api/fields';
import { queryAll } from '../../api/paging';
import type { ItemOperation } from '../../actions/types';

export const create: ItemOperation = {
	async item(ctx, api, i) {
		const name = String(ctx.getNodeParameter('name', i, '') ?? '').trim();
		if (!name) throw inputError(ctx.getNode(), i, 'Name', 'is empty', 'Give the list a name.');
		const fields: IDataObject = { name, ...(ctx.getNodeParameter('additionalFields', i, {}) as IDataObject) };
		try {
			if (api.family === 'v5') {
				return (await api.v5('POST', 'lists', { json: fields, query: { fields: LIST_FIELDS_V5.join(',') }, idempotent: false })).body;
			}
			return legacyRecord((await api.legacy('list', 'create', [], namesFor('legacy', fields), { idempotent: false })).body, 'list');
		} catch (error) {
			throw itemError(ctx.getNode(), i, error, { what: `the list "${name}"`, field: 'Name' }, 'create');
		}
	},
};

export const getMany: ItemOperation = {
	async item(ctx, api, i) {
		const limit = ctx.getNodeParameter('returnAll', i, false) ? undefined : (ctx.getNodeParameter('limit', i, 50) as number);
		try {
			return await queryAll(api, { v5Object: 'lists', v5Fields: LIST_FIELDS_V5, legacyObject: 'list', legacyKey: 'list', limit });
		} catch (error) {
			throw itemError(ctx.getNode(), i, error, { what: 'lists' });
		}
	},
};
