/**
 * A polling trigger's `this` (IPollFunctions) and n8n's poll loop, with static data carried as JSON.
 *
 * How n8n runs a poller, read from n8n-io/n8n (master, 2026):
 * - packages/cli/src/active-workflow-manager.ts `add()` builds ONE Workflow object from the stored
 *   workflow (`new Workflow({ staticData: dbWorkflow.staticData })`, the JSON column) and calls
 *   `addTriggersAndPollers`; `getExecutePollFunctions` builds the PollContext whose `__emit` first
 *   does `void workflowStaticDataService.saveStaticData(workflow)` and then starts the execution.
 *   After activation `add()` also calls `saveStaticData(workflow)` ("make sure that data gets
 *   persisted"), whatever the activation poll returned.
 * - packages/core/src/execution-engine/active-workflows.ts `activatePolling()` creates that context
 *   ONCE per activation, runs the first poll right away (`executeTrigger(true)`: an error there fails
 *   the activation and nothing is saved) and then registers the cron; every later tick reuses the
 *   same context and the same Workflow, so the same in-memory static data object, and ticks may
 *   overlap (triggers-and-pollers.ts counts `overlapped` ticks). Each tick: `poll.call(ctx)`; a
 *   non-null answer goes to `__emit` (even `[[]]`); an error to `__emitError` (an error execution,
 *   nothing saved, the workflow stays active). `getActivationMode()` therefore answers the mode of
 *   the activation ('activate', 'init' after a restart, 'update', ...) on EVERY tick, not only the
 *   first one, and `getMode()` is 'trigger'.
 * - packages/cli/src/workflows/workflow-static-data.service.ts `saveStaticData` writes only when
 *   `workflow.staticData.__dataChanged === true`, then clears the flag. The flag comes from
 *   n8n-workflow's ObservableObject (Workflow constructor, `getStaticData`): it is set by a set or a
 *   delete on the top-level object, on `getWorkflowStaticData('node')`'s object, or on any object
 *   that was there when the Workflow was built (they are wrapped then); creating the node object
 *   itself does not count (`ignoreEmptyOnFirstChild`). An object a poll assigns is NOT wrapped, so
 *   later in-place changes inside it (`sd.cursor.after = x`) go unnoticed until something else
 *   sets the flag or the workflow is reloaded. (In regular mode the execution n8n starts rebuilds a
 *   Workflow on the same raw object, which wraps such objects from then on; in queue mode it does
 *   not.) The harness uses n8n-workflow's own ObservableObject and no such rebuild: the strict case.
 *   `changeDetection: 'none'` saves on every emit/activation instead.
 * - Manual runs ("Fetch Test Event") build a fresh Workflow from the stored data each time and the
 *   execution hooks skip saving static data for mode 'manual'.
 * - Saving is a JSON column: in memory a Date stays a Date across polls, but after a reload it is
 *   the ISO string.
 */
import { randomUUID } from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IDeferredPromise,
	IGetNodeParameterOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IObservableObject,
	IPollFunctions,
	Logger,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { ApplicationError, NodeHelpers, NodeOperationError, ObservableObject, deepCopy } from 'n8n-workflow';

import { createHttpRequestWithAuthentication } from './auth';
import { CredentialStore, credentialProperties, evaluateExpression } from './credentials';
import type { HttpRequestFn, RequestRecord } from './http';
import { Transport, createHttpRequest } from './http';

// ------------------------------------------------------------------ logger

export type LogLevelName = 'error' | 'warn' | 'info' | 'debug';

export interface LogEntry {
	level: LogLevelName;
	message: string;
	metadata?: unknown;
}

function serializeForLog(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, function replacer(_key, item: unknown) {
		if (typeof item === 'bigint') return item.toString();
		if (item && typeof item === 'object') {
			if (seen.has(item)) return '[Circular]';
			seen.add(item);
			if (item instanceof Error) {
				const out: Record<string, unknown> = { name: item.name, message: item.message, stack: item.stack };
				for (const key of Object.keys(item)) out[key] = (item as unknown as Record<string, unknown>)[key];
				const { cause } = item as { cause?: unknown };
				if (cause !== undefined) out.cause = cause;
				return out;
			}
			if (Buffer.isBuffer(item)) return item.toString('utf8');
		}
		return item;
	});
}

/** n8n's node logger, collecting every line (with its metadata) so tests can search them. */
export class HarnessLogger implements Logger {
	readonly entries: LogEntry[] = [];

	constructor(private readonly echo = false) {}

	error = (message: string, metadata?: unknown) => this.add('error', message, metadata);

	warn = (message: string, metadata?: unknown) => this.add('warn', message, metadata);

	info = (message: string, metadata?: unknown) => this.add('info', message, metadata);

	debug = (message: string, metadata?: unknown) => this.add('debug', message, metadata);

	private add(level: LogLevelName, message: string, metadata?: unknown): void {
		this.entries.push(metadata === undefined ? { level, message } : { level, message, metadata });
		if (this.echo) console.log(`[${level}] ${message}`, metadata ?? '');
	}

	/** Every line with its metadata (errors expanded: message, stack, cause, own fields). */
	text(): string {
		return this.entries.map((entry) => `${entry.level} ${entry.message} ${serializeForLog(entry.metadata) ?? ''}`).join('\n');
	}

	/** Whether any logged text contains `needle` (e.g. a secret). */
	contains(needle: string): boolean {
		return needle.length > 0 && this.text().includes(needle);
	}
}

// ------------------------------------------------------------------ http helpers

export interface HttpHelpersOptions {
	/** The node named in NodeApiError / NodeOperationError. */
	node?: INode | (() => INode);
	logger?: Logger;
	/** Shares keep-alive agents (and the request log) with other helpers. */
	transport?: Transport;
}

export interface HttpHelpers {
	httpRequest: HttpRequestFn;
	httpRequestWithAuthentication: (credentialsType: string, requestOptions: import('n8n-workflow').IHttpRequestOptions) => Promise<any>;
	readonly credentials: CredentialStore;
	readonly transport: Transport;
	/** Every request sent through this helpers' transport: method, url, status or error code, ms. */
	readonly requests: RequestRecord[];
	/** Destroys the keep-alive agents. */
	close(): void;
}

const HARNESS_NODE: INode = {
	id: 'harness-node',
	name: 'Harness',
	type: 'n8n-nodes-pardot.harness',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function toStore(credentials: CredentialStore | Record<string, ICredentialDataDecryptedObject> | undefined): CredentialStore {
	return credentials instanceof CredentialStore ? credentials : new CredentialStore(credentials ?? {});
}

/** `helpers.httpRequest` and `helpers.httpRequestWithAuthentication` over real HTTP. */
export function createHttpHelpers(
	credentialStore?: CredentialStore | Record<string, ICredentialDataDecryptedObject>,
	options: HttpHelpersOptions = {},
): HttpHelpers {
	const store = toStore(credentialStore);
	const requests: RequestRecord[] = [];
	const transport = options.transport ?? new Transport({ onRequest: (record) => requests.push(record) });
	const httpRequest = createHttpRequest(transport);
	const getNode = typeof options.node === 'function' ? options.node : () => (options.node as INode | undefined) ?? HARNESS_NODE;
	const httpRequestWithAuthentication = createHttpRequestWithAuthentication({
		store,
		httpRequest,
		transport,
		getNode,
		logger: options.logger ?? new HarnessLogger(),
	});
	return {
		httpRequest,
		httpRequestWithAuthentication,
		credentials: store,
		transport,
		requests,
		close: () => transport.close(),
	};
}

// ------------------------------------------------------------------ static data

/** Workflow static data as n8n's Workflow constructor holds it (ObservableObject over the JSON). */
export function loadStaticData(persisted: string, changeDetection: 'observable' | 'none' = 'observable'): IDataObject {
	const raw = (persisted ? JSON.parse(persisted) : {}) as IDataObject;
	return changeDetection === 'observable'
		? (ObservableObject.create(raw, undefined, { ignoreEmptyOnFirstChild: true }) as unknown as IDataObject)
		: raw;
}

/** n8n's Workflow.getStaticData. */
function getStaticData(staticData: IDataObject, type: string, node: INode): IDataObject {
	let key: string;
	if (type === 'global') key = 'global';
	else if (type === 'node') key = `node:${node.name}`;
	else throw new ApplicationError('Unknown context type. Only `global` and `node` are supported.', { extra: { contextType: type } });
	if (staticData[key] === undefined) {
		const observable = (staticData as unknown as IObservableObject).__dataChanged !== undefined;
		staticData[key] = observable ? (ObservableObject.create({}, staticData as unknown as IObservableObject) as unknown as IDataObject) : {};
	}
	return staticData[key] as IDataObject;
}

// ------------------------------------------------------------------ node

function resolveDescription(nodeType: INodeType, version?: number): { type: INodeType; description: INodeTypeDescription } {
	const versioned = nodeType as unknown as { nodeVersions?: unknown; getNodeType?: (v?: number) => INodeType };
	const type = versioned.nodeVersions && versioned.getNodeType ? versioned.getNodeType(version) : nodeType;
	return { type, description: type.description };
}

function latestVersion(description: INodeTypeDescription): number {
	return Array.isArray(description.version) ? Math.max(...description.version) : description.version;
}

/** The node's properties as n8n loads them (a polling node gets `pollTimes` first). */
export function nodeProperties(description: INodeTypeDescription): INodeProperties[] {
	const properties = [...description.properties];
	if (description.polling && !properties.some((p) => p.name === 'pollTimes')) {
		properties.unshift({
			displayName: 'Poll Times',
			name: 'pollTimes',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Poll Time' },
			default: { item: [{ mode: 'everyMinute' }] },
			placeholder: 'Add Poll Time',
			options: NodeHelpers.cronNodeOptions,
		});
	}
	return properties;
}

export interface NodeOptions {
	id?: string;
	name?: string;
	/** Default: `n8n-nodes-pardot.<description.name>`. */
	type?: string;
	typeVersion?: number;
}

/** The INode as a saved workflow holds it once loaded: parameters with the defaults filled in. */
export function buildNode(
	nodeType: INodeType,
	parameters: INodeParameters = {},
	options: NodeOptions = {},
	credentials?: CredentialStore,
): INode {
	const { description } = resolveDescription(nodeType, options.typeVersion);
	const typeVersion = options.typeVersion ?? latestVersion(description);
	const filled = NodeHelpers.getNodeParameters(nodeProperties(description), deepCopy(parameters), true, false, { typeVersion }, description);
	const node: INode = {
		id: options.id ?? randomUUID(),
		name: options.name ?? description.defaults?.name ?? description.displayName,
		type: options.type ?? `n8n-nodes-pardot.${description.name}`,
		typeVersion,
		position: [0, 0],
		parameters: filled ?? {},
	};
	const wanted = new Set((description.credentials ?? []).map((c) => c.name));
	const nodeCredentials = credentials?.nodeCredentials() ?? {};
	const used = Object.fromEntries(Object.entries(nodeCredentials).filter(([type]) => wanted.has(type)));
	if (Object.keys(used).length) node.credentials = used;
	return node;
}

/** lodash `get` for 'a.b', 'a[0].b'. */
function getPath(source: unknown, path: string): unknown {
	const keys = path.replace(/\[(\w+)\]/g, '.$1').split('.').filter(Boolean);
	let current: unknown = source;
	for (const key of keys) {
		if (current === null || current === undefined) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

function resolveParameterExpressions(value: unknown, context: Record<string, unknown>): unknown {
	if (typeof value === 'string') return value.startsWith('=') ? evaluateExpression(value, context) : value;
	if (Array.isArray(value)) return value.map((item) => resolveParameterExpressions(item, context));
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value)) out[key] = resolveParameterExpressions(item, context);
		return out;
	}
	return value;
}

// ------------------------------------------------------------------ poll context

export interface PollContextOptions {
	nodeType: INodeType;
	/** The parameters the user set; defaults come from the node type's description. */
	parameters?: INodeParameters;
	credentials?: CredentialStore | Record<string, ICredentialDataDecryptedObject>;
	/** Reuse helpers (and their keep-alive agents); created from `credentials` when absent. */
	http?: HttpHelpers;
	/** The workflow's static data object (see loadStaticData); else loaded from `persistedState`. */
	staticData?: IDataObject;
	persistedState?: string;
	mode?: 'trigger' | 'manual';
	/** Default 'activate' in trigger mode, 'manual' in manual mode. */
	activationMode?: WorkflowActivateMode;
	node?: NodeOptions;
	/** An INode already built (buildNode); wins over `node`/`parameters`. */
	builtNode?: INode;
	workflow?: { id?: string; name?: string; active?: boolean };
	/** Default 'America/New_York' (n8n's GENERIC_TIMEZONE default). */
	timezone?: string;
	/** Default 'http://localhost:5678/'. */
	instanceBaseUrl?: string;
	/** n8n gives pollers no execution id (undefined). */
	executionId?: string;
	logger?: HarnessLogger;
	onEmit?: (data: INodeExecutionData[][]) => void;
	onEmitError?: (error: Error) => void;
}

export interface HarnessExtras {
	/** What the harness built, for assertions. */
	readonly harness: {
		node: INode;
		staticData: IDataObject;
		logger: HarnessLogger;
		http: HttpHelpers;
		credentials: CredentialStore;
	};
	continueOnFail(): boolean;
}

export type HarnessPollContext = IPollFunctions & HarnessExtras;

function returnJsonArray(jsonData: IDataObject | IDataObject[]): INodeExecutionData[] {
	const list = Array.isArray(jsonData) ? jsonData : [jsonData];
	return list.map((data) =>
		data && typeof data === 'object' && data.json && typeof data.json === 'object'
			? ({ ...data, json: data.json } as INodeExecutionData)
			: { json: data },
	);
}

function createDeferredPromise<T = void>(): IDeferredPromise<T> {
	let resolve!: (value: T) => void;
	let reject!: (error: Error) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject } as IDeferredPromise<T>;
}

/** The `this` of a polling trigger's `poll()`, like n8n-core's PollContext. */
export function createPollContext(opts: PollContextOptions): HarnessPollContext {
	const mode = opts.mode ?? 'trigger';
	const activationMode: WorkflowActivateMode = opts.activationMode ?? (mode === 'manual' ? 'manual' : 'activate');
	const store = opts.http?.credentials ?? toStore(opts.credentials);
	const { description } = resolveDescription(opts.nodeType, opts.builtNode?.typeVersion ?? opts.node?.typeVersion);
	const node = opts.builtNode ?? buildNode(opts.nodeType, opts.parameters, opts.node, store);
	const logger = opts.logger ?? new HarnessLogger();
	const http = opts.http ?? createHttpHelpers(store, { node: () => node, logger });
	const staticData = opts.staticData ?? loadStaticData(opts.persistedState ?? '{}');
	const workflow = { id: opts.workflow?.id ?? 'harness-workflow', name: opts.workflow?.name ?? 'Harness workflow', active: opts.workflow?.active ?? mode === 'trigger' };
	const instanceBaseUrl = opts.instanceBaseUrl ?? 'http://localhost:5678/';

	const ctx = {
		logger,
		getMode: () => mode,
		getActivationMode: () => activationMode,
		getNode: () => deepCopy(node),
		getWorkflow: () => ({ ...workflow }),
		getWorkflowSettings: () => ({}),
		getTimezone: () => opts.timezone ?? 'America/New_York',
		getRestApiUrl: () => `${instanceBaseUrl}rest`,
		getInstanceBaseUrl: () => instanceBaseUrl,
		getInstanceId: () => 'harness-instance',
		getExecutionId: () => opts.executionId as string,
		continueOnFail: () => false,
		getWorkflowStaticData: (type: string) => getStaticData(staticData, type, node),
		getCredentialsProperties: (type: string) => {
			const credentialType = store.credentialType(type);
			return credentialType ? credentialProperties(credentialType) : [];
		},
		getCredentials: async <T extends object = ICredentialDataDecryptedObject>(type: string): Promise<T> => {
			if (description.credentials && !description.credentials.some((c) => c.name === type)) {
				throw new NodeOperationError(node, `Node type "${node.type}" does not have any credentials of type "${type}" defined`, {
					level: 'warning',
				});
			}
			const data = store.getDecrypted(type);
			if (!data) {
				throw new NodeOperationError(node, `Node does not have any credentials set for "${type}"`, { level: 'warning' });
			}
			return data as T;
		},
		getNodeParameter: (parameterName: string, fallbackValue?: unknown, options?: IGetNodeParameterOptions) => {
			const found = getPath(node.parameters, parameterName);
			const value = found === undefined ? fallbackValue : found;
			if (value === undefined) throw new ApplicationError('Could not get parameter', { extra: { parameterName } });
			if (options?.rawExpressions) return deepCopy(value);
			let resolved = resolveParameterExpressions(deepCopy(value), { $parameter: node.parameters, $workflow: workflow });
			if (options?.extractValue && resolved && typeof resolved === 'object' && '__rl' in resolved) {
				resolved = (resolved as unknown as { value: unknown }).value;
			}
			return resolved as never;
		},
		helpers: {
			httpRequest: http.httpRequest,
			httpRequestWithAuthentication: async (credentialsType: string, requestOptions: import('n8n-workflow').IHttpRequestOptions) =>
				await http.httpRequestWithAuthentication(credentialsType, requestOptions),
			returnJsonArray,
			createDeferredPromise,
		},
		__emit: (data: INodeExecutionData[][]) => opts.onEmit?.(data),
		__emitError: (error: Error) => opts.onEmitError?.(error),
		harness: { node, staticData, logger, http, credentials: store },
	};
	return ctx as unknown as HarnessPollContext;
}

// ------------------------------------------------------------------ the poll loop

export interface PollRunnerOptions extends Omit<PollContextOptions, 'staticData' | 'mode' | 'builtNode' | 'onEmit' | 'onEmitError'> {
	mode?: 'trigger' | 'manual';
	/** The workflow's stored static data (JSON) before the first poll. Default '{}'. */
	persistedState?: string;
	/** Mode of the first activation. Default 'activate'. */
	activationMode?: WorkflowActivateMode;
	/** 'observable' (default): save only when n8n's __dataChanged flag is set. 'none': always. */
	changeDetection?: 'observable' | 'none';
	/** Print log lines while running. */
	echoLogs?: boolean;
	/** What a tick runs instead of the node type's poll() (tests hand the trigger its options this way). */
	poll?: (ctx: IPollFunctions) => Promise<INodeExecutionData[][] | null>;
}

export interface PollOutcome {
	/** 0-based number of this poll in the runner. */
	index: number;
	/** The activation poll (first poll after construction, restart() or a failed activation). */
	activation: boolean;
	activationMode: WorkflowActivateMode;
	mode: 'trigger' | 'manual';
	/** What poll() returned (null when it threw). */
	items: INodeExecutionData[][] | null;
	error?: Error;
	/** Whether the static data was written to the persisted JSON after this poll. */
	saved: boolean;
	/** poll() returned non-null but with no item at all (n8n still starts an execution). */
	emptyEmission: boolean;
	/** The poll belonged to an activation that restart() ended: its answer went nowhere. */
	discarded: boolean;
}

interface Activation {
	staticData: IDataObject;
	ctx: HarnessPollContext;
	activationMode: WorkflowActivateMode;
	ended: boolean;
	/** The activation poll, while it runs: cron ticks start only after it (n8n registers them then). */
	pending?: Promise<PollOutcome>;
}

/**
 * Runs a node's poll() the way an active workflow in n8n does (see the file header).
 * Trigger mode: the first poll is the activation poll; later polls share its context and its
 * in-memory static data; static data is saved (JSON) on emit and after the activation poll.
 * Manual mode: every poll is a separate manual run on a fresh copy of the saved data, never saved.
 */
export class PollRunner {
	readonly credentials: CredentialStore;

	readonly logger: HarnessLogger;

	readonly http: HttpHelpers;

	readonly node: INode;

	/** Every item emitted so far, in order (outputs flattened). */
	readonly emitted: INodeExecutionData[] = [];

	readonly outcomes: PollOutcome[] = [];

	/** Every error a poll threw, in order. */
	readonly errors: Error[] = [];

	lastError: Error | undefined;

	/** How many times static data was written. */
	saves = 0;

	private persisted: string;

	private current: Activation | undefined;

	private nextActivationMode: WorkflowActivateMode;

	private count = 0;

	constructor(private readonly options: PollRunnerOptions) {
		this.credentials = toStore(options.credentials);
		this.logger = options.logger ?? new HarnessLogger(options.echoLogs);
		this.node = buildNode(options.nodeType, options.parameters, options.node, this.credentials);
		this.http = options.http ?? createHttpHelpers(this.credentials, { node: () => this.node, logger: this.logger });
		this.persisted = options.persistedState ?? '{}';
		this.nextActivationMode = options.activationMode ?? 'activate';
	}

	get mode(): 'trigger' | 'manual' {
		return this.options.mode ?? 'trigger';
	}

	/** The stored static data (JSON string), as the database holds it. */
	persistedState(): string {
		return this.persisted;
	}

	/** The stored static data of this node (`node:<name>`), parsed. */
	persistedNodeState(): IDataObject | undefined {
		return (JSON.parse(this.persisted) as IDataObject)[`node:${this.node.name}`] as IDataObject | undefined;
	}

	/** The live in-memory static data of this node in the current activation (undefined if none). */
	inMemoryNodeState(): IDataObject | undefined {
		return this.current?.staticData[`node:${this.node.name}`] as IDataObject | undefined;
	}

	/** The context polls of the current activation run with. */
	get context(): HarnessPollContext | undefined {
		return this.current?.ctx;
	}

	/** Replaces the stored static data (as if edited in the database); takes effect on the next load. */
	setPersistedState(json: string): void {
		this.persisted = json;
	}

	/**
	 * n8n restarting (or the workflow being re-activated): the in-memory state is dropped, polls
	 * still running are ignored, and the next poll is an activation poll in `activationMode`
	 * (default 'init', n8n's mode at startup) that loads the stored JSON.
	 */
	restart(activationMode: WorkflowActivateMode = 'init'): void {
		if (this.current) this.current.ended = true;
		this.current = undefined;
		this.nextActivationMode = activationMode;
	}

	/** Destroys the keep-alive agents (when the runner created its helpers). */
	close(): void {
		if (!this.options.http) this.http.close();
	}

	/** One poll tick (or one manual run). Never throws: errors are in the outcome and lastError. */
	async poll(): Promise<PollOutcome> {
		if (this.mode === 'manual') {
			const staticData = loadStaticData(this.persisted, this.options.changeDetection);
			const ctx = this.makeContext(staticData, 'manual', 'manual');
			return await this.tick({ staticData, ctx, activationMode: 'manual', ended: false }, false);
		}
		const activation = this.current;
		if (!activation) return await this.activate();
		if (activation.pending) {
			await activation.pending;
			if (this.current !== activation) return await this.poll();
		}
		return await this.tick(activation, false);
	}

	private makeContext(staticData: IDataObject, mode: 'trigger' | 'manual', activationMode: WorkflowActivateMode): HarnessPollContext {
		return createPollContext({
			...this.options,
			mode,
			activationMode,
			staticData,
			builtNode: this.node,
			credentials: this.credentials,
			http: this.http,
			logger: this.logger,
		});
	}

	private async activate(): Promise<PollOutcome> {
		const staticData = loadStaticData(this.persisted, this.options.changeDetection);
		const activationMode = this.nextActivationMode;
		const activation: Activation = {
			staticData,
			ctx: this.makeContext(staticData, 'trigger', activationMode),
			activationMode,
			ended: false,
		};
		this.current = activation;
		activation.pending = this.tick(activation, true).then((outcome) => {
			activation.pending = undefined;
			// A failed activation poll fails the activation: that Workflow object is dropped.
			if (outcome.error && this.current === activation) this.current = undefined;
			return outcome;
		});
		return await activation.pending;
	}

	private save(activation: Activation): boolean {
		const flagged =
			this.options.changeDetection === 'none' || (activation.staticData as unknown as IObservableObject).__dataChanged === true;
		if (!flagged) return false;
		this.persisted = JSON.stringify(activation.staticData);
		if (this.options.changeDetection !== 'none') (activation.staticData as unknown as IObservableObject).__dataChanged = false;
		this.saves++;
		return true;
	}

	private async tick(activation: Activation, isActivation: boolean): Promise<PollOutcome> {
		const outcome: PollOutcome = {
			index: this.count++,
			activation: isActivation,
			activationMode: activation.activationMode,
			mode: activation.ctx.getMode() as 'trigger' | 'manual',
			items: null,
			saved: false,
			emptyEmission: false,
			discarded: false,
		};
		try {
			const { type } = resolveDescription(this.options.nodeType, this.node.typeVersion);
			if (!type.poll) throw new ApplicationError('Node type does not have a poll function defined');
			outcome.items = this.options.poll ? await this.options.poll(activation.ctx) : await type.poll.call(activation.ctx);
		} catch (error) {
			outcome.error = error instanceof Error ? error : new Error(String(error));
		}
		if (activation.ended) {
			outcome.discarded = true;
		} else if (outcome.error) {
			this.lastError = outcome.error;
			this.errors.push(outcome.error);
		} else {
			if (outcome.items !== null && outcome.items !== undefined) {
				const flat = outcome.items.flat();
				outcome.emptyEmission = flat.length === 0;
				this.emitted.push(...flat);
				if (outcome.mode === 'trigger') outcome.saved = this.save(activation);
			}
			if (isActivation && outcome.mode === 'trigger') outcome.saved = this.save(activation) || outcome.saved;
		}
		this.outcomes.push(outcome);
		return outcome;
	}
}

export interface RunPollResult extends PollOutcome {
	persistedState: string;
	emitted: INodeExecutionData[];
	logger: HarnessLogger;
	credentials: CredentialStore;
}

/** One poll with a fresh runner (an activation poll in trigger mode), then closes its agents. */
export async function runPoll(options: PollRunnerOptions): Promise<RunPollResult> {
	const runner = new PollRunner(options);
	try {
		const outcome = await runner.poll();
		return {
			...outcome,
			persistedState: runner.persistedState(),
			emitted: runner.emitted,
			logger: runner.logger,
			credentials: runner.credentials,
		};
	} finally {
		runner.close();
	}
}
