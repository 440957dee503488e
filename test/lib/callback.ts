import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { PardotEventCallback } from '../../nodes/PardotEventCallback/PardotEventCallback.node';
import { CredentialStore, HarnessLogger, RequestRecorder, TestExecuteContext, createAdditionalData, createWorkflow } from './n8n';

/**
 * Runs the Pardot Event Callback's execute() in n8n-core's own ExecuteContext (test/lib/n8n/core.ts),
 * over real HTTP: parameters resolved by n8n, the signing credential from a credential store, the
 * requests sent by n8n-core's httpRequest.
 */

export const CREDENTIAL = 'pardotCallbackSigningApi';

export interface RunOptions {
	/** Each entry becomes one input item's json. */
	items: IDataObject[];
	parameters: IDataObject;
	/** Attaches the signing credential with this key. */
	signingKey?: string;
	continueOnFail?: boolean;
	workflowName?: string;
	/** What getWorkflowSettings() returns (n8n: the workflow's settings, e.g. executionTimeout in seconds). */
	workflowSettings?: IDataObject;
	abortController?: AbortController;
}

export interface LogLine {
	level: string;
	message: string;
	meta?: unknown;
}

export interface RunResult {
	output?: INodeExecutionData[][];
	error?: Error & { description?: string | null; context?: IDataObject; httpCode?: string | null };
	logs: LogLine[];
	requestsMade: number;
	durationMs: number;
}

export async function runNode(options: RunOptions): Promise<RunResult> {
	const nodeType = new PardotEventCallback();
	const store = new CredentialStore(options.signingKey === undefined ? {} : { [CREDENTIAL]: { signingKey: options.signingKey } });
	const node: INode = {
		id: 'callback-node-id',
		name: 'Pardot Event Callback',
		type: 'n8n-nodes-pardot.pardotEventCallback',
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters as INode['parameters'],
		credentials: options.signingKey === undefined ? undefined : { [CREDENTIAL]: { id: 'cred-1', name: 'Callback signing key' } },
		continueOnFail: options.continueOnFail === true,
	};
	const workflow = createWorkflow({
		nodeType,
		node,
		id: 'workflow-1',
		name: options.workflowName ?? 'Pardot to CRM',
		active: true,
		settings: options.workflowSettings,
	});
	const items: INodeExecutionData[] = options.items.map((json) => ({ json }));
	const logger = new HarnessLogger();
	const recorder = new RequestRecorder();
	const context = new TestExecuteContext(
		workflow,
		workflow.getNode(node.name)!,
		createAdditionalData(store),
		items,
		logger,
		options.abortController?.signal,
	);
	const logs = () => logger.entries.map(({ level, message, metadata }) => ({ level, message, meta: metadata }));

	const started = Date.now();
	try {
		const output = await recorder.run(async () => await nodeType.execute.call(context));
		return { output, logs: logs(), requestsMade: recorder.requests.length, durationMs: Date.now() - started };
	} catch (error) {
		return { error: error as RunResult['error'], logs: logs(), requestsMade: recorder.requests.length, durationMs: Date.now() - started };
	}
}

/** A standardized event as the Pardot Trigger emits it (docs/event-format.md). */
export function makeEvent(n: number, overrides: IDataObject = {}): IDataObject {
	const objectType = (overrides.objectType as string | undefined) ?? 'contacts';
	const id = 1000 + n;
	return {
		eventId: `evt-${objectType}-${n}`,
		eventType: n % 3 === 0 ? 'CREATED' : 'UPDATED',
		objectType,
		objectId: String(id),
		elementKey: 'pardot',
		hubKey: 'marketing',
		date: `2026-11-27T14:${String(n % 60).padStart(2, '0')}:11Z`,
		pollDate: '2026-11-27T14:05:00Z',
		raw: { id, email: `person${n}@example.com`, created_at: '2026-11-27 06:03:11', updated_at: '2026-11-27 06:03:11' },
		...overrides,
	};
}

/** Fast retries for tests: ~10 ms base. */
export const FAST = { retryBaseDelay: 10, retryMaxDelay: 50 };
