import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { queryAll } from '../api/paging';
import { pickerApi } from './connect';

/** The List resource locator's search: the account's lists whose name contains the filter. */
export async function searchLists(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const api = await pickerApi(this);
	const lists = await queryAll(api, { v5Object: 'lists', v5Fields: ['id', 'name'], legacyObject: 'list', legacyKey: 'list', limit: 1000 });
	const wanted = (filter ?? '').trim().toLowerCase();
	return {
		results: lists
			.filter((l) => !wanted || String(l.name ?? '').toLowerCase().includes(wanted))
			.map((l) => ({ name: `${String(l.name ?? '')} (${String(l.id)})`, value: String(l.id) }))
			.sort((a, b) => a.name.localeCompare(b.name)),
	};
}
