import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ACTIVITY_KINDS } from './activities';
import { pollPardot } from './trigger';

export class PardotTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pardot Trigger',
		name: 'pardotTrigger',
		icon: { light: 'file:pardot.svg', dark: 'file:pardot.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["resources"] || []).join(", ") }}',
		description:
			'Emits one standardized event per created, updated or deleted Pardot contact, lead, list membership, visitor activity, list, campaign or visitor (SAP Open Connectors compatible)',
		defaults: {
			name: 'Pardot Trigger',
		},
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'pardotOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'pardotApi',
				required: true,
				displayOptions: { show: { authentication: ['legacy'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{
						name: 'OAuth2 (Salesforce)',
						value: 'oAuth2',
						description: 'The only login Pardot accepts for real accounts since 2021',
					},
					{
						name: 'Legacy User Key',
						value: 'legacy',
						description: 'Email, password and user key (API v3/v4); for old setups and the simulator',
					},
				],
				default: 'oAuth2',
			},
			{
				displayName: 'Resources',
				name: 'resources',
				type: 'multiOptions',
				options: [
					{
						name: 'Campaigns',
						value: 'campaigns',
						description: 'Pardot campaigns (API v5 only: v3/v4 campaigns carry no dates)',
					},
					{
						name: 'Contacts',
						value: 'contacts',
						description: 'Pardot prospects',
					},
					{
						name: 'Leads',
						value: 'leads',
						description: 'Pardot opportunities by default (as Open Connectors maps them); see Options',
					},
					{
						name: 'List Memberships',
						value: 'listMemberships',
						description: 'A prospect added to a list (Created), changed or opted out (Updated), removed (Deleted)',
					},
					{
						name: 'Lists',
						value: 'lists',
						description: 'Pardot lists (Deleted with API v5 only)',
					},
					{
						name: 'Visitor Activities',
						value: 'visitorActivities',
						description: 'Form submissions, email opens and clicks, file access, visits: Created only; see Activity Types',
					},
					{
						name: 'Visitors',
						value: 'visitors',
						description: 'Anonymous and identified website visitors (no Deleted)',
					},
				],
				default: ['contacts', 'leads'],
				required: true,
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{
						name: 'Created',
						value: 'CREATED',
						description: 'The record was created since the previous poll',
					},
					{
						name: 'Deleted',
						value: 'DELETED',
						description: "The record moved to Pardot's recycle bin (one more query per resource and poll)",
					},
					{
						name: 'Updated',
						value: 'UPDATED',
						description: 'An existing record changed since the previous poll',
					},
				],
				default: ['CREATED', 'UPDATED'],
				required: true,
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Activity Types',
						name: 'activityTypes',
						type: 'multiOptions',
						options: [...ACTIVITY_KINDS].sort((a, b) => a.name.localeCompare(b.name)).map(({ name, value, description }) => ({ name, value, description })),
						default: [],
						description: 'Which visitor activities to emit (Resources: Visitor Activities). None selected: every activity.',
					},
					{
						displayName: 'Contact Fields',
						name: 'fields',
						type: 'string',
						default: '',
						placeholder: 'e.g. email,firstName,lastName,company,score',
						description:
							'Comma-separated Pardot prospect fields to return in "raw" for contacts. Empty: every field (v3/v4) or a useful default set (v5). Use v5 names (camelCase) with API v5 and v3/v4 names (snake_case) otherwise.',
					},
					{
						displayName: 'Lead Fields',
						name: 'leadFields',
						type: 'string',
						default: '',
						placeholder: 'e.g. name,value,stage,status',
						description:
							'Comma-separated fields to return in "raw" for leads: opportunity fields, or prospect fields when Leads Are is Salesforce Leads. Empty: every field (v3/v4) or a useful default set (v5).',
					},
					{
						displayName: 'Leads Are',
						name: 'leadsAre',
						type: 'options',
						options: [
							{
								name: 'Opportunities',
								value: 'opportunities',
								description: 'Pardot opportunities, as SAP Open Connectors maps "leads"',
							},
							{
								name: 'Salesforce Leads',
								value: 'salesforceLeads',
								description: 'Prospects synced to a Salesforce lead and not yet to a contact',
							},
						],
						default: 'opportunities',
					},
					{
						displayName: 'Max Events Per Poll',
						name: 'maxEventsPerPoll',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 1000,
						description: 'The most events one poll emits; the rest follow in the next polls, none lost',
					},
					{
						displayName: 'Start From',
						name: 'startFrom',
						type: 'dateTime',
						default: '',
						description:
							"Empty: changes from activation on. Set: on activation, first catch up on every change since this date (in the workflow's time zone unless it has an offset). Read once, when the trigger has no saved position.",
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollPardot(this);
	}
}

