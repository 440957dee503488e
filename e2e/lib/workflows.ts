/** Workflow JSON as an administrator would import it: Pardot Trigger -> Pardot Event Callback. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './install';

export const TRIGGER_TYPE = 'n8n-nodes-pardot.pardotTrigger';
export const CALLBACK_TYPE = 'n8n-nodes-pardot.pardotEventCallback';
export const ACTION_TYPE = 'n8n-nodes-pardot.pardot';

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

/**
 * An example workflow (examples/<file>: Pardot Trigger -> Pardot Event Callback) as a user imports it and then
 * completes it in the editor: the trigger's resources, events and options as the example has them; the
 * authentication and credentials, the callback URL and signing credential chosen; polls every minute (n8n's
 * shortest schedule, so the test need not wait for the example's own).
 */
export function fromExample(file: string, o: Omit<FlowOptions, 'resources' | 'events' | 'triggerOptions' | 'batchSize' | 'triggerName'>) {
	const wf = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'));
	const trigger = wf.nodes.find((n: any) => n.type === TRIGGER_TYPE);
	const callback = wf.nodes.find((n: any) => n.type === CALLBACK_TYPE);
	if (!trigger || !callback) throw new Error(`examples/${file} is not a Pardot Trigger -> Pardot Event Callback workflow`);
	const base = triggerToCallback({
		...o,
		triggerName: trigger.name,
		resources: trigger.parameters.resources,
		events: trigger.parameters.events,
		triggerOptions: trigger.parameters.options,
		batchSize: callback.parameters.batchSize,
		callbackOptions: { ...callback.parameters.options, ...o.callbackOptions },
	});
	return {
		...base,
		nodes: wf.nodes.map((n: any) => {
			const made = base.nodes.find((b) => b.type === n.type);
			return made ? { ...n, typeVersion: made.typeVersion, parameters: made.parameters, credentials: made.credentials } : n;
		}),
		connections: wf.connections,
	};
}
