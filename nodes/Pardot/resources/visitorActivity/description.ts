import type { INodeProperties } from 'n8n-workflow';

import { ACTIVITY_KINDS } from '../../../PardotTrigger/activities';
import { getManyParameters } from '../common';

export const visitorActivityOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['visitorActivity'] } },
	options: [{ name: 'Get Many', value: 'getMany', action: 'Get many visitor activities', description: 'Get visitor activities, filtered by type, date or prospect' }],
	default: 'getMany',
};

export const visitorActivityFields: INodeProperties[] = [
	...getManyParameters('visitorActivity'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { resource: ['visitorActivity'], operation: ['getMany'] } },
		options: [
			{
				displayName: 'Activity Types',
				name: 'types',
				type: 'multiOptions',
				options: [...ACTIVITY_KINDS].sort((a, b) => a.name.localeCompare(b.name)).map(({ name, value, description }) => ({ name, value, description })),
				default: [],
			},
			{ displayName: 'Created After', name: 'createdAfter', type: 'dateTime', default: '' },
			{ displayName: 'Prospect ID', name: 'prospectId', type: 'string', default: '' },
		],
	},
];
