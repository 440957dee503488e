/** Workflow JSON as an administrator would import it: Pardot Trigger -> Pardot Event Callback. */

export const TRIGGER_TYPE = 'n8n-nodes-pardot.pardotTrigger';
export const CALLBACK_TYPE = 'n8n-nodes-pardot.pardotEventCallback';

export interface CredRef {
	id: string;
	name: string;
}

export interface FlowOptions {
	name: string;
	authentication: 'legacy' | 'oAuth2';
	pardotCredential: CredRef;
	signingCredential?: CredRef;
	callbackUrl: string;
	resources?: string[];
	events?: string[];
	triggerOptions?: Record<string, unknown>;
	callbackOptions?: Record<string, unknown>;
	batchSize?: number;
	triggerName?: string;
	typeVersions?: { trigger?: number; callback?: number };
	/** merged into the workflow's settings (e.g. errorWorkflow) */
	settings?: Record<string, unknown>;
}

export function triggerToCallback(o: FlowOptions) {
	const triggerName = o.triggerName ?? 'Pardot Trigger';
	return {
		name: o.name,
		nodes: [
			{
				id: '3a1f8c2e-0000-4000-8000-000000000001',
				name: triggerName,
				type: TRIGGER_TYPE,
				typeVersion: o.typeVersions?.trigger ?? 1,
				position: [0, 0],
				parameters: {
					authentication: o.authentication,
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					resources: o.resources ?? ['contacts', 'leads'],
					events: o.events ?? ['CREATED', 'UPDATED', 'DELETED'],
					options: o.triggerOptions ?? {},
				},
				credentials:
					o.authentication === 'legacy'
						? { pardotApi: { id: o.pardotCredential.id, name: o.pardotCredential.name } }
						: { pardotOAuth2Api: { id: o.pardotCredential.id, name: o.pardotCredential.name } },
			},
			{
				id: '3a1f8c2e-0000-4000-8000-000000000002',
				name: 'Pardot Event Callback',
				type: CALLBACK_TYPE,
				typeVersion: o.typeVersions?.callback ?? 1,
				position: [260, 0],
				parameters: {
					callbackUrl: o.callbackUrl,
					batchSize: o.batchSize ?? 10,
					options: o.callbackOptions ?? {},
				},
				credentials: o.signingCredential
					? { pardotCallbackSigningApi: { id: o.signingCredential.id, name: o.signingCredential.name } }
					: {},
			},
		],
		connections: {
			[triggerName]: { main: [[{ node: 'Pardot Event Callback', type: 'main', index: 0 }]] },
		},
		settings: {
			executionOrder: 'v1',
			saveManualExecutions: true,
			saveDataSuccessExecution: 'all',
			saveDataErrorExecution: 'all',
			...(o.settings ?? {}),
		},
		pinData: {},
	};
}
