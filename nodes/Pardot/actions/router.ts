import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { loadConnection } from '../../shared/transport';
import type { ActionOptions } from '../api/client';
import { DEFAULT_CONCURRENCY, PardotApi } from '../api/client';
import { itemError, stopsExecution } from '../api/errors';
import type { ItemOperation, Operation } from './types';
import { OPERATIONS } from './operations';

/**
 * The execute router: one connection for the run, then each item through its operation, at most
 * `concurrency` at once (Pardot allows 5 concurrent requests per user, shared with every other integration),
 * one output item per input item (several for a Get Many) with pairedItem, in input order. Continue On Fail
 * is handled here, once: the failed item carries its error; without it the first failure stops the node.
 * An error that every later request would meet too (the daily limit, a refused login) is not sent again:
 * the items after it fail with it.
 */
export async function executePardot(ctx: IExecuteFunctions, options: ActionOptions = {}): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operationName = ctx.getNodeParameter('operation', 0) as string;
	const operation: Operation | undefined = OPERATIONS[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operationName}" of "${resource}" is not known`);
	}
	const authentication = ctx.getNodeParameter('authentication', 0) as 'oAuth2' | 'legacy';
	const conn = await loadConnection(ctx, authentication);
	const api = new PardotApi(ctx, conn, options.transport);
	if (operation.unavailable) {
		const reason = operation.unavailable(api);
		if (reason) throw new NodeOperationError(ctx.getNode(), reason.message, { description: reason.description });
	}
	if ('batch' in operation) return [await operation.batch(ctx, api, items, options)];
	return [await eachItem(ctx, api, items, operation, options)];
}

async function eachItem(
	ctx: IExecuteFunctions,
	api: PardotApi,
	items: INodeExecutionData[],
	operation: ItemOperation,
	options: ActionOptions,
): Promise<INodeExecutionData[]> {
	const continueOnFail = ctx.continueOnFail();
	const results: INodeExecutionData[][] = new Array(items.length);
	const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, 5));
	const locks = new Map<string, Promise<void>>();
	let next = 0;
	let stop: Error | undefined;
	let fatal: Error | undefined;

	const runItem = async (i: number): Promise<void> => {
		if (stop) {
			results[i] = failed(i, stop);
			return;
		}
		try {
			const key = operation.serializeBy?.(ctx, i);
			const run = async () => await operation.item(ctx, api, i);
			const json = key === undefined ? await run() : await serialized(locks, key, run);
			results[i] = (Array.isArray(json) ? json : [json]).map((j) => ({ json: j, pairedItem: { item: i } }));
		} catch (error) {
			const wrapped = itemError(ctx.getNode(), i, error, { what: 'the record' });
			if (stopsExecution(error)) stop = wrapped;
			if (!continueOnFail) {
				fatal ??= wrapped;
				stop ??= wrapped;
				return;
			}
			results[i] = failed(i, wrapped);
		}
	};

	const worker = async () => {
		while (next < items.length && !fatal) await runItem(next++);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
	if (fatal) throw fatal;
	return results.flat();
}

function failed(i: number, error: Error): INodeExecutionData[] {
	const json: IDataObject = { error: error.message };
	const description = (error as { description?: unknown }).description;
	if (description) json.description = String(description);
	return [{ json, pairedItem: { item: i } }];
}

/** Runs `fn` after every earlier run with the same key (two items upserting one email never race). */
async function serialized<T>(locks: Map<string, Promise<void>>, key: string, fn: () => Promise<T>): Promise<T> {
	const before = locks.get(key) ?? Promise.resolve();
	let release!: () => void;
	const mine = new Promise<void>((resolve) => (release = resolve));
	const chain = before.then(() => mine);
	locks.set(key, chain);
	await before;
	try {
		return await fn();
	} finally {
		release();
		if (locks.get(key) === chain) locks.delete(key);
	}
}
