import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { callbackProperties } from './description';
import { executeCallback } from './execute';
import { checkSigningKey } from './signature';

/** The node as n8n loads it: what it is, its parameters (description.ts), its credential test and its execution (execute.ts). */
export class PardotEventCallback implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pardot Event Callback',
		name: 'pardotEventCallback',
		icon: { light: 'file:pardotEventCallback.svg', dark: 'file:pardotEventCallback.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ "batches of " + $parameter["batchSize"] }}',
		description: 'Deliver Pardot change events to a callback URL, signed and retried, as SAP Open Connectors does',
		defaults: { name: 'Pardot Event Callback' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'pardotCallbackSigningApi',
				required: false,
				// A signing key has nothing remote to test: the node's own check below looks at the
				// key itself (see checkSigningKey), and the receiver verifies it on first delivery.
				testedBy: 'pardotCallbackSigningKeyTest',
			},
		],
		properties: callbackProperties(),
	};

	methods = {
		credentialTest: {
			async pardotCallbackSigningKeyTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return checkSigningKey(credential.data?.signingKey);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeCallback(this);
	}
}
