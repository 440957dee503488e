import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { PardotEventCallback } from '../../nodes/PardotEventCallback/PardotEventCallback.node';
import { SIGNING_CREDENTIAL } from '../../nodes/PardotEventCallback/signature';
import { CredentialStore, HarnessLogger, RequestRecorder, TestExecuteContext, createAdditionalData, createWorkflow } from './n8n';
import type { ReceivedRequest } from './sink';

/**
 * Runs the Pardot Event Callback's execute() in n8n-core's own ExecuteContext (test/lib/n8n/core.ts),
 * over real HTTP: parameters resolved by n8n, the signing credential from a credential store, the
 * requests sent by n8n-core's httpRequest.
 */

export const CREDENTIAL = SIGNING_CREDENTIAL;

export interface CallbackNodeOptions {
	/** The node's parameters as a workflow stores them (callbackUrl, batchSize, options). */
	parameters: IDataObject;
	/** Attaches the signing credential (its id and name; the key itself is the credential store's). */
	signed?: boolean;
	continueOnFail?: boolean;
	id?: string;
}

/** The Pardot Event Callback as a workflow holds it: one builder for the tests and the bench. */
export function callbackNode(options: CallbackNodeOptions): INode {
	return {
		id: options.id ?? 'callback-node-id',
		name: 'Pardot Event Callback',
		type: 'n8n-nodes-pardot.pardotEventCallback',
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters as INode['parameters'],
		credentials: options.signed ? { [CREDENTIAL]: { id: 'cred-1', name: 'Callback signing key' } } : undefined,
		continueOnFail: options.continueOnFail === true,
	};
}

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
	const node = callbackNode({ parameters: options.parameters, signed: options.signingKey !== undefined, continueOnFail: options.continueOnFail });
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

/** `count` events, event n of objectType `typeOf(n)`. */
export function makeEvents(count: number, typeOf: (n: number) => string = () => 'contacts'): IDataObject[] {
	return Array.from({ length: count }, (_, n) => makeEvent(n, { objectType: typeOf(n) }));
}

/** The output items' json; a run that failed throws its error. */
export function outputJson(result: RunResult): IDataObject[] {
	if (result.error) throw result.error;
	return (result.output?.[0] ?? []).map((item) => item.json);
}

/** A notification's id as its Elements-Webhook-Id header carries it. */
export const idOf = (request: ReceivedRequest) => String(request.headers['elements-webhook-id']);
/** A notification's body as JSON (the envelope). */
export const bodyJson = (request: ReceivedRequest) => JSON.parse(request.body.toString('utf8')) as { message: IDataObject };
/** The notification id's UUID form (RFC 9562 version 8). */
export const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Fast retries for tests: ~10 ms base. */
export const FAST = { retryBaseDelay: 10, retryMaxDelay: 50 };
