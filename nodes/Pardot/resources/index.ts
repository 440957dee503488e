import type { INodeProperties } from 'n8n-workflow';

import { listFields, listOperations } from './list/description';
import { listMembershipFields, listMembershipOperations } from './listMembership/description';
import { opportunityFields, opportunityOperations } from './opportunity/description';
import { prospectFields, prospectOperations } from './prospect/description';
import { visitorActivityFields, visitorActivityOperations } from './visitorActivity/description';

/** The node's parameters: authentication, resource, then each resource's operations and fields. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'OAuth2 (Salesforce)', value: 'oAuth2', description: 'API v3, v4 or v5; the only login Pardot accepts for real accounts since 2021' },
			{ name: 'Legacy User Key', value: 'legacy', description: 'Email, password and user key (API v3/v4); for old setups and the simulator' },
		],
		default: 'oAuth2',
	},
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'List', value: 'list', description: 'A static list of prospects' },
			{ name: 'List Membership', value: 'listMembership', description: 'A prospect on a list, opted in or out' },
			{ name: 'Opportunity', value: 'opportunity', description: 'A sales opportunity of prospects' },
			{ name: 'Prospect', value: 'prospect', description: 'A contact: a person Pardot tracks' },
			{ name: 'Visitor Activity', value: 'visitorActivity', description: 'Something a visitor or prospect did, such as a form submission or an email open' },
		],
		default: 'prospect',
	},
	prospectOperations,
	listMembershipOperations,
	listOperations,
	opportunityOperations,
	visitorActivityOperations,
	...prospectFields,
	...listMembershipFields,
	...listFields,
	...opportunityFields,
	...visitorActivityFields,
];
