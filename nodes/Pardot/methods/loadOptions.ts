import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { queryAll } from '../api/paging';
import { pickerApi } from './connect';

/**
 * Pickers filled from the account: lists, campaigns, users and prospect custom fields, by name, so users do not type
 * IDs or field names. At most PICKER_LIMIT of each, sorted by name.
 */

const PICKER_LIMIT = 1000;

function options(records: IDataObject[], label: (r: IDataObject) => string, value: (r: IDataObject) => string): INodePropertyOptions[] {
	return records
		.map((r) => ({ name: label(r), value: value(r) }))
		.filter((o) => o.value !== '')
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getLists(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const api = await pickerApi(this);
	const lists = await queryAll(api, { v5Object: 'lists', v5Fields: ['id', 'name'], legacyObject: 'list', legacyKey: 'list', limit: PICKER_LIMIT });
	return options(lists, (l) => `${String(l.name ?? '')} (${String(l.id)})`, (l) => String(l.id ?? ''));
}

export async function getCampaigns(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const api = await pickerApi(this);
	const campaigns = await queryAll(api, { v5Object: 'campaigns', v5Fields: ['id', 'name'], legacyObject: 'campaign', legacyKey: 'campaign', limit: PICKER_LIMIT });
	return options(campaigns, (c) => `${String(c.name ?? '')} (${String(c.id)})`, (c) => String(c.id ?? ''));
}

/** Prospect custom fields: v5 `custom-fields` (the API name in `fieldId`), v3/v4 `customField` (`field_id`). */
export async function getCustomFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const api = await pickerApi(this);
	const fields = await queryAll(api, {
		v5Object: 'custom-fields',
		v5Fields: ['id', 'name', 'fieldId'],
		legacyObject: 'customField',
		legacyKey: 'customField',
		limit: PICKER_LIMIT,
	});
	const apiName = (f: IDataObject) => String(f.fieldId ?? f.field_id ?? '');
	return options(fields, (f) => `${String(f.name ?? apiName(f))} (${apiName(f)})`, apiName);
}

/** Users (v5 `users`, v3/v4 `user`), for a prospect's assigned user: "First Last (email)", the value the user's id. */
export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const api = await pickerApi(this);
	const users = await queryAll(api, {
		v5Object: 'users',
		v5Fields: ['id', 'email', 'firstName', 'lastName', 'username', 'isDeleted'],
		legacyObject: 'user',
		legacyKey: 'user',
		limit: PICKER_LIMIT,
		keep: (u) => u.isDeleted !== true,
	});
	const label = (u: IDataObject) => {
		const name = [u.firstName ?? u.first_name, u.lastName ?? u.last_name].filter((p) => p !== undefined && p !== null && p !== '').join(' ');
		const email = String(u.email ?? u.username ?? '');
		return name ? `${name} (${email})` : email || String(u.id);
	};
	return options(users, label, (u) => String(u.id ?? ''));
}
