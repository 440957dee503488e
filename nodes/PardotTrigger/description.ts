import type { INodeProperties } from 'n8n-workflow';

import { ACTIVITY_KINDS } from './activities';
import { DEFAULTS } from './settings';

// By name: n8n's lint rules take a default they cannot evaluate from a plain name only.
const { authentication, resources, events, leadsAre, maxEventsPerPoll } = DEFAULTS;

/**
 * The Pardot Trigger's parameters as n8n's editor shows them; their defaults are the settings' own
 * (settings.ts). A new list each time: n8n's loader adds its own parameters (Poll Times) to the list.
 */
export function triggerProperties(): INodeProperties[] {
	return [
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
			default: authentication,
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
			default: [...resources],
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
					description: "The record moved to Pardot's recycle bin (on API v3/v4, one more query per poll for Contacts, Leads and List Memberships)",
				},
				{
					name: 'Updated',
					value: 'UPDATED',
					description: 'An existing record changed since the previous poll',
				},
			],
			default: [...events],
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
					default: leadsAre,
				},
				{
					displayName: 'Max Events Per Poll',
					name: 'maxEventsPerPoll',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: maxEventsPerPoll,
					description: 'The most events one poll emits; the rest follow in the next polls, none lost',
				},
				{
					displayName: 'Start From',
					name: 'startFrom',
					type: 'dateTime',
					default: '',
					description:
						"Empty: changes from activation on. Set: on activation, first catch up on every change since this date (in the workflow's time zone unless it has an offset). Read for each resource that has no saved position yet (at activation, or when added later).",
				},
			],
		},
	];
}
