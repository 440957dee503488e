import type { INodeProperties } from 'n8n-workflow';

import { getManyParameters, listLocator, pickerField, prospectLocator, showFor } from '../common';

const show = showFor('listMembership');

export const listMembershipOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['listMembership'] } },
	options: [
		{ name: 'Add', value: 'add', action: 'Add a prospect to a list', description: 'Add a prospect to a list, opted in or out' },
		{ name: 'Get Many', value: 'getMany', action: 'Get many list memberships', description: 'Get the memberships of a list or of a prospect' },
		{ name: 'Remove', value: 'remove', action: 'Remove a prospect from a list', description: 'Take a prospect off a list (to the recycle bin)' },
		{ name: 'Update', value: 'update', action: 'Opt a list member out or in', description: 'Opt a list member out of (or back into) the list\'s emails' },
	],
	default: 'add',
};

export const listMembershipFields: INodeProperties[] = [
	{ ...listLocator, displayOptions: show(['add', 'update', 'remove']) },
	{ ...prospectLocator, displayOptions: show(['add', 'update', 'remove']) },
	{
		displayName: 'Opted Out',
		name: 'optedOut',
		type: 'boolean',
		default: false,
		description: 'Whether the prospect is opted out of this list\'s emails (Pardot ignores opting back in unless support enabled it)',
		displayOptions: show(['add', 'update']),
	},
	...getManyParameters('listMembership'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['getMany']),
		options: [
			pickerField('List Name or ID', 'listId', 'getLists'),
			{ displayName: 'Prospect ID', name: 'prospectId', type: 'string', default: '' },
		],
	},
];
