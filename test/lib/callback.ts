import http from 'node:http';
import https from 'node:https';

import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { PardotEventCallback } from '../../nodes/PardotEventCallback/PardotEventCallback.node';

/**
 * Just enough of n8n's IExecuteFunctions to run the node's execute() as n8n would, with
 * helpers.httpRequest doing real HTTP through Node's http module. It mimics n8n-core's
 * httpRequest (axios underneath) for the options the node uses:
 * - `body` string or Buffer sent as is (an object is JSON-encoded); `auth` becomes HTTP Basic;
 *   `User-Agent: n8n` unless set;
 * - `returnFullResponse` -> `{ body, headers, statusCode, statusMessage }`;
 * - `encoding: 'text'` keeps the body a string, otherwise JSON bodies are parsed;
 * - without `ignoreHttpStatusErrors`, a non-2xx status rejects (like axios' validateStatus);
 * - `timeout` (whole request) rejects with code `ECONNABORTED`, as axios does;
 * - a connection the server drops rejects with Node's own `ECONNRESET` ("socket hang up");
 * - redirects are never followed here (the node asks for `disableFollowRedirect` anyway);
 * - `abortSignal` aborts with code `ERR_CANCELED`.
 * Connections are kept alive, as n8n's agents do.
 */

export const CREDENTIAL = 'pardotCallbackSigningApi';

interface RequestError extends Error {
	code?: string;
	response?: { status: number; headers: http.IncomingHttpHeaders; data: unknown };
}

function requestError(message: string, code: string): RequestError {
	const error: RequestError = new Error(message);
	error.code = code;
	return error;
}

export function createHttpRequest(agents: { http: http.Agent; https: https.Agent }) {
	return async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
		const url = new URL(options.url);
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(options.headers ?? {})) headers[name] = String(value);
		const has = (name: string) => Object.keys(headers).some((key) => key.toLowerCase() === name);

		let body: Buffer | undefined;
		if (typeof options.body === 'string') body = Buffer.from(options.body, 'utf8');
		else if (Buffer.isBuffer(options.body)) body = options.body;
		else if (options.body !== undefined && options.body !== null) {
			body = Buffer.from(JSON.stringify(options.body), 'utf8');
			if (!has('content-type')) headers['Content-Type'] = 'application/json';
		}
		if (body) headers['Content-Length'] = String(body.length);
		if (!has('user-agent')) headers['User-Agent'] = 'n8n';
		if (options.auth) {
			const credentials = `${options.auth.username}:${options.auth.password}`;
			headers.Authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
		}

		const transport = url.protocol === 'https:' ? https : http;
		const agent = url.protocol === 'https:' ? agents.https : agents.http;
		return await new Promise((resolve, reject) => {
			let settled = false;
			const settle = (fn: () => void) => {
				if (settled) return;
				settled = true;
				if (timer) clearTimeout(timer);
				fn();
			};
			const req = transport.request(url, { method: options.method ?? 'GET', headers, agent }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('error', (error) => settle(() => reject(error)));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let data: unknown = text;
					if (options.encoding !== 'text' && text !== '') {
						try {
							data = JSON.parse(text);
						} catch {
							data = text;
						}
					}
					const status = res.statusCode ?? 0;
					if (!options.ignoreHttpStatusErrors && (status < 200 || status > 299)) {
						const error = requestError(`Request failed with status code ${status}`, 'ERR_BAD_RESPONSE');
						error.response = { status, headers: res.headers, data };
						settle(() => reject(error));
						return;
					}
					const full = { body: data, headers: res.headers, statusCode: status, statusMessage: res.statusMessage };
					settle(() => resolve(options.returnFullResponse ? full : data));
				});
			});
			const timer =
				options.timeout !== undefined
					? setTimeout(() => {
							settle(() => reject(requestError(`timeout of ${options.timeout}ms exceeded`, 'ECONNABORTED')));
							req.destroy();
						}, options.timeout)
					: undefined;
			req.on('error', (error) => settle(() => reject(error)));
			const signal = options.abortSignal as AbortSignal | undefined;
			signal?.addEventListener(
				'abort',
				() => {
					settle(() => reject(Object.assign(requestError('canceled', 'ERR_CANCELED'), { name: 'CanceledError' })));
					req.destroy();
				},
				{ once: true },
			);
			req.end(body);
		});
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
	/** Wraps every httpRequest call, e.g. to count or inspect them. */
	onRequest?: (options: IHttpRequestOptions) => void;
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

function defaultOf(properties: INodeProperties[], name: string): unknown {
	return properties.find((property) => property.name === name)?.default;
}

export async function runNode(options: RunOptions): Promise<RunResult> {
	const nodeType = new PardotEventCallback();
	const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
	const httpRequest = createHttpRequest(agents);
	const logs: LogLine[] = [];
	let requestsMade = 0;

	const node: INode = {
		id: 'callback-node-id',
		name: 'Pardot Event Callback',
		type: 'n8n-nodes-pardot.pardotEventCallback',
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters as INode['parameters'],
		credentials:
			options.signingKey === undefined ? undefined : { [CREDENTIAL]: { id: 'cred-1', name: 'Callback signing key' } },
	};
	const items: INodeExecutionData[] = options.items.map((json) => ({ json }));
	const log = (level: string) => (message: string, meta?: unknown) => logs.push({ level, message, meta });

	const context = {
		getInputData: () => items,
		getNode: () => node,
		getWorkflow: () => ({ id: 'workflow-1', name: options.workflowName ?? 'Pardot to CRM', active: true }),
		getWorkflowSettings: () => options.workflowSettings ?? {},
		continueOnFail: () => options.continueOnFail === true,
		getExecutionCancelSignal: () => options.abortController?.signal,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => {
			if (Object.prototype.hasOwnProperty.call(options.parameters, name)) return options.parameters[name];
			if (fallback !== undefined) return fallback;
			return defaultOf(nodeType.description.properties, name);
		},
		getCredentials: async (type: string) => {
			if (type !== CREDENTIAL || options.signingKey === undefined) {
				throw new Error('Node does not have any credentials set');
			}
			return { signingKey: options.signingKey };
		},
		logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), verbose: log('verbose') },
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				requestsMade++;
				options.onRequest?.(requestOptions);
				return await httpRequest(requestOptions);
			},
		},
	} as unknown as IExecuteFunctions;

	const started = Date.now();
	try {
		const output = await nodeType.execute.call(context);
		return { output, logs, requestsMade, durationMs: Date.now() - started };
	} catch (error) {
		return { error: error as RunResult['error'], logs, requestsMade, durationMs: Date.now() - started };
	} finally {
		agents.http.destroy();
		agents.https.destroy();
	}
}

/** A standardized event as the Pardot Trigger emits it (events-format.md). */
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
