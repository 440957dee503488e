import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executePardot } from './actions/router';
import { getCampaigns, getCustomFields, getLists, getUsers } from './methods/loadOptions';
import { searchLists } from './methods/listSearch';
import { properties } from './resources';

export class Pardot implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pardot',
		name: 'pardot',
		icon: { light: 'file:pardot.svg', dark: 'file:pardot.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Create, update and read Pardot (Account Engagement) prospects, lists, list memberships, opportunities and visitor activities',
		defaults: { name: 'Pardot' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'pardotOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: 'pardotApi', required: true, displayOptions: { show: { authentication: ['legacy'] } } },
		],
		properties,
	};

	methods = {
		loadOptions: { getCampaigns, getCustomFields, getLists, getUsers },
		listSearch: { searchLists },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executePardot(this);
	}
}
