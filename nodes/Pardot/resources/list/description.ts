import type { INodeProperties } from 'n8n-workflow';

import { getManyParameters, showFor } from '../common';

const show = showFor('list');

export const listOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['list'] } },
	options: [
		{ name: 'Create', value: 'create', action: 'Create a list', description: 'Create a static list' },
		{ name: 'Get Many', value: 'getMany', action: 'Get many lists', description: 'Get the account\'s lists' },
	],
	default: 'getMany',
};

export const listFields: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', required: true, default: '', displayOptions: show(['create']) },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['create']),
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{ displayName: 'Is Public', name: 'isPublic', type: 'boolean', default: false, description: 'Whether prospects see the list on the email preference page' },
			{ displayName: 'Title', name: 'title', type: 'string', default: '', description: 'The name prospects see' },
		],
	},
	...getManyParameters('list'),
];
