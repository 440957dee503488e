import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerProperties } from './description';
import { pollPardot } from './poll';

/** The node as n8n loads it: what it is, its parameters (description.ts), and its poll (poll.ts). */
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
		properties: triggerProperties(),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollPardot(this);
	}
}

