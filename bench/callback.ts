/**
 * Callback throughput: the Pardot Event Callback node's execute(), run with a minimal
 * IExecuteFunctions whose helpers.httpRequest is the harness's n8n-faithful one, delivering the
 * trigger's own events to a loopback sink in another process.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { PardotEventCallback } from '../nodes/PardotEventCallback/PardotEventCallback.node';
import { callbackNode, CREDENTIAL } from '../test/lib/callback';
import { createHttpHelpers, HarnessLogger } from '../test/lib/n8n';
import { Rpc } from './remote';

export interface CallbackRun {
	batchSize: number;
	events: number;
	requests: number;
	ms: number;
	eventsPerSecond: number;
	error?: string;
}

export class CallbackBench {
	private constructor(
		private readonly sink: Rpc,
		readonly url: string,
	) {}

	static async start(): Promise<CallbackBench> {
		const sink = Rpc.start('sink-worker.ts');
		const { url } = await sink.call<{ url: string }>('start');
		return new CallbackBench(sink, url);
	}

	/** One execute() over `items`, signed (HMAC), default options (concurrency 4, envelope payload). */
	async run(items: INodeExecutionData[], batchSize: number): Promise<CallbackRun> {
		const nodeType = new PardotEventCallback();
		const http = createHttpHelpers({});
		const parameters: IDataObject = { callbackUrl: this.url, batchSize, options: {} };
		const node = callbackNode({ id: 'bench-callback', parameters, signed: true });
		const defaults = (name: string) => nodeType.description.properties.find((p) => p.name === name)?.default;
		const context = {
			getInputData: () => items,
			getNode: () => node,
			getWorkflow: () => ({ id: 'bench-workflow', name: 'Pardot bench', active: true }),
			continueOnFail: () => false,
			getExecutionCancelSignal: () => undefined,
			getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
				Object.prototype.hasOwnProperty.call(parameters, name) ? parameters[name] : (fallback ?? defaults(name)),
			getCredentials: async (type: string) => {
				if (type !== CREDENTIAL) throw new Error(`no credential ${type}`);
				return { signingKey: 'bench-signing-key-0123456789abcdef0123456789abcdef' };
			},
			logger: new HarnessLogger(),
			helpers: { httpRequest: http.httpRequest },
		} as unknown as IExecuteFunctions;
		await this.sink.call('reset');
		const started = performance.now();
		let error: string | undefined;
		try {
			await nodeType.execute.call(context);
		} catch (e) {
			error = (e as Error).message;
		}
		const ms = performance.now() - started;
		http.close();
		const { requests } = await this.sink.call<{ requests: number }>('stats');
		return { batchSize, events: items.length, requests, ms, eventsPerSecond: (items.length / ms) * 1000, error };
	}

	async close(): Promise<void> {
		await this.sink.call('close').catch(() => undefined);
		this.sink.kill();
	}
}
