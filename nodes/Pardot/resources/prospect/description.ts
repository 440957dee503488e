import type { INodeProperties } from 'n8n-workflow';

import { customFieldsParameter, getManyParameters, pickerField, prospectLocator, showFor } from '../common';

const show = showFor('prospect');

/** Fields a write may set beside the email, by their v5 names (v3/v4 get them as snake_case). */
const writableFields: INodeProperties[] = [
	{
		displayName: 'Assigned User Name or ID',
		name: 'assignedToId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getUsers' },
		default: '',
		description:
			'The Pardot user the prospect is assigned to (v3/v4: assigned after the write). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	pickerField('Campaign Name or ID', 'campaignId', 'getCampaigns', 'Without one, Pardot puts a new prospect in the oldest campaign.'),
	{ displayName: 'City', name: 'city', type: 'string', default: '' },
	{ displayName: 'Company', name: 'company', type: 'string', default: '' },
	{ displayName: 'Country', name: 'country', type: 'string', default: '' },
	{ displayName: 'Department', name: 'department', type: 'string', default: '' },
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{ displayName: 'Job Title', name: 'jobTitle', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
	{ displayName: 'Salutation', name: 'salutation', type: 'string', default: '' },
	{ displayName: 'Score', name: 'score', type: 'number', default: 0 },
	{ displayName: 'Source', name: 'source', type: 'string', default: '' },
	{ displayName: 'State', name: 'state', type: 'string', default: '' },
	{ displayName: 'Website', name: 'website', type: 'string', default: '' },
];

export const prospectOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['prospect'] } },
	options: [
		{ name: 'Create', value: 'create', action: 'Create a prospect', description: 'Create a prospect (a repeat makes a duplicate where emails may be shared: prefer Upsert by Email)' },
		{ name: 'Create or Update', value: 'upsert', action: 'Create or update a prospect by email', description: 'Create a new record, or update the current one if it already exists (upsert)' },
		{ name: 'Delete', value: 'delete', action: 'Delete a prospect', description: 'Move a prospect to the recycle bin' },
		{ name: 'Get', value: 'get', action: 'Get a prospect', description: 'Get a prospect by ID or email' },
		{ name: 'Get Many', value: 'getMany', action: 'Get many prospects', description: 'Get prospects, filtered by dates, list or email' },
		{ name: 'Import (Bulk Upsert)', value: 'import', action: 'Import prospects in bulk', description: 'Upsert all input items by email through one Pardot import job (API v5 only)' },
		{ name: 'Update', value: 'update', action: 'Update a prospect', description: 'Change fields of a prospect' },
	],
	default: 'upsert',
};

export const prospectFields: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		displayOptions: show(['create', 'upsert', 'import']),
	},
	{ ...prospectLocator, displayOptions: show(['get', 'update', 'delete']) },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['create', 'upsert', 'import']),
		options: writableFields,
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['update']),
		options: [{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' } as INodeProperties, ...writableFields].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	},
	{ ...customFieldsParameter, displayOptions: show(['create', 'upsert', 'update', 'import']) },
	...getManyParameters('prospect'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['getMany']),
		options: [
			{ displayName: 'Created After', name: 'createdAfter', type: 'dateTime', default: '' },
			{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', description: 'Every prospect with this email (several where emails may be shared)' },
			pickerField('List Name or ID', 'listId', 'getLists', 'Members of this list.'),
			{ displayName: 'Updated After', name: 'updatedAfter', type: 'dateTime', default: '' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['get', 'getMany', 'create', 'upsert', 'update']),
		options: [
			{
				displayName: 'Fields to Return',
				name: 'fields',
				type: 'string',
				default: '',
				placeholder: 'email,firstName,myField__c',
				description: 'Comma-separated field names (API v5 names; v3/v4 answer every field). Empty: the standard fields. The ID always comes back.',
			},
		],
	},
	{
		displayName: 'Import Options',
		name: 'importOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['import']),
		options: [
			{ displayName: 'Restore Deleted', name: 'restoreDeleted', type: 'boolean', default: true, description: 'Whether a match in the recycle bin comes back and is updated (otherwise its row fails)' },
			{ displayName: 'Rows per Batch', name: 'batchRows', type: 'number', typeOptions: { minValue: 1, maxValue: 100000 }, default: 5000, description: 'Rows per uploaded CSV file (Pardot takes at most 10 files per import, each under 10 MB)' },
			{ displayName: 'Timeout (Minutes)', name: 'timeoutMinutes', type: 'number', typeOptions: { minValue: 1 }, default: 60, description: 'How long to wait for Pardot to finish the import' },
		],
	},
];
