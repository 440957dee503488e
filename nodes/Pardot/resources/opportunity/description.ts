import type { INodeProperties } from 'n8n-workflow';

import { getManyParameters, pickerField, prospectLocator, showFor } from '../common';

const show = showFor('opportunity');

const fields: INodeProperties[] = [
	pickerField('Campaign Name or ID', 'campaignId', 'getCampaigns'),
	{ displayName: 'Closed At', name: 'closedAt', type: 'dateTime', default: '' },
	{ displayName: 'Stage', name: 'stage', type: 'string', default: '' },
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Lost', value: 'lost', description: 'Closed and lost' },
			{ name: 'Open', value: 'open', description: 'Not closed yet' },
			{ name: 'Won', value: 'won', description: 'Closed and won' },
		],
		default: 'open',
	},
	{ displayName: 'Type', name: 'type', type: 'string', default: '' },
];

export const opportunityOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['opportunity'] } },
	options: [
		{ name: 'Create', value: 'create', action: 'Create an opportunity', description: 'Create an opportunity (API v3/v4 only)' },
		{ name: 'Get', value: 'get', action: 'Get an opportunity', description: 'Get an opportunity by ID' },
		{ name: 'Get Many', value: 'getMany', action: 'Get many opportunities', description: 'Get opportunities, filtered by creation date or prospect' },
		{ name: 'Update', value: 'update', action: 'Update an opportunity', description: 'Update an opportunity (API v3/v4 only)' },
	],
	default: 'get',
};

export const opportunityFields: INodeProperties[] = [
	{
		displayName: 'API v5 opportunities are read-only: Create and Update need a credential with API version 3 or 4 (without a Salesforce connector)',
		name: 'v5Notice',
		type: 'notice',
		default: '',
		displayOptions: show(['create', 'update']),
	},
	{ displayName: 'Opportunity ID', name: 'opportunityId', type: 'string', required: true, default: '', displayOptions: show(['get', 'update']) },
	{ ...prospectLocator, displayOptions: show(['create']) },
	{ displayName: 'Name', name: 'name', type: 'string', required: true, default: '', displayOptions: show(['create']) },
	{ displayName: 'Value', name: 'value', type: 'number', required: true, default: 0, displayOptions: show(['create']) },
	{ displayName: 'Probability', name: 'probability', type: 'number', typeOptions: { minValue: 0, maxValue: 100 }, required: true, default: 50, displayOptions: show(['create']) },
	{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, displayOptions: show(['create']), options: fields },
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['update']),
		options: [
			...fields,
			{ displayName: 'Name', name: 'name', type: 'string', default: '' } as INodeProperties,
			{ displayName: 'Probability', name: 'probability', type: 'number', default: 50 } as INodeProperties,
			{ displayName: 'Value', name: 'value', type: 'number', default: 0 } as INodeProperties,
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
	...getManyParameters('opportunity'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['getMany']),
		options: [
			{ displayName: 'Created After', name: 'createdAfter', type: 'dateTime', default: '' },
			{ displayName: 'Prospect ID', name: 'prospectId', type: 'string', default: '', description: 'Opportunities of this prospect (API v3/v4)' },
		],
	},
];
