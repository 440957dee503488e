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
 * The context of each poll is n8n-core's own PollContext on an n8n-workflow Workflow (core.ts);
 * this file adds what n8n's server does around it: the poll loop, the activation, and saving.
 * - Manual runs ("Fetch Test Event") build a fresh Workflow from the stored data each time and the
 *   execution hooks skip saving static data for mode 'manual'.
 * - Saving is a JSON column: in memory a Date stays a Date across polls, but after a reload it is
 *   the ISO string.
 */
import { randomUUID } from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
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
import { ApplicationError, NodeHelpers, deepCopy } from 'n8n-workflow';

import type { RequestRecord } from './core';
import { RequestRecorder, TestPollContext, createAdditionalData, createWorkflow, loadedNodeType } from './core';
import { CredentialStore, KNOWN_CREDENTIAL_TYPES } from './credentials';

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
	/** The node named in errors; default a node that may use every credential of the store. */
	node?: INode | (() => INode);
	logger?: Logger;
	/** Shares the request log with a runner. */
	recorder?: RequestRecorder;
}

export interface HttpHelpers {
	httpRequest: (requestOptions: IHttpRequestOptions) => Promise<any>;
	httpRequestWithAuthentication: (credentialsType: string, requestOptions: IHttpRequestOptions) => Promise<any>;
	readonly credentials: CredentialStore;
	/** Every request sent through these helpers: method, url, status or error code, ms. */
	readonly requests: RequestRecord[];
	readonly recorder: RequestRecorder;
	/** Nothing to release: n8n-core opens a connection per request (kept for callers that close). */
	close(): void;
}

/** A node type that may use every credential type the harness knows (for helpers outside a node). */
const ANY_CREDENTIAL_NODE: INodeType = {
	description: {
		displayName: 'Harness',
		name: 'harness',
		group: ['transform'],
		version: 1,
		description: 'Sends requests for tests',
		defaults: { name: 'Harness' },
		inputs: [],
		outputs: [],
		credentials: Object.keys(KNOWN_CREDENTIAL_TYPES).map((name) => ({ name, required: false })),
		properties: [],
	},
};

function toStore(credentials: CredentialStore | Record<string, ICredentialDataDecryptedObject> | undefined): CredentialStore {
	return credentials instanceof CredentialStore ? credentials : new CredentialStore(credentials ?? {});
}

/** n8n-core's `helpers.httpRequest` and `helpers.httpRequestWithAuthentication`, outside a poll. */
export function createHttpHelpers(
	credentialStore?: CredentialStore | Record<string, ICredentialDataDecryptedObject>,
	options: HttpHelpersOptions = {},
): HttpHelpers {
	const store = toStore(credentialStore);
	const recorder = options.recorder ?? new RequestRecorder();
	const node =
		(typeof options.node === 'function' ? options.node() : options.node) ??
		({ id: 'harness-node', name: 'Harness', type: 'n8n-nodes-pardot.harness', typeVersion: 1, position: [0, 0], parameters: {}, credentials: store.nodeCredentials() } as INode);
	const nodeType = options.node ? undefined : ANY_CREDENTIAL_NODE;
	const workflow = createWorkflow({ nodeType: nodeType ?? ANY_CREDENTIAL_NODE, node });
	const ctx = new TestPollContext(workflow, workflow.getNode(node.name)!, createAdditionalData(store), 'trigger', 'activate', options.logger ?? new HarnessLogger(), recorder);
	return {
		httpRequest: async (requestOptions) => await recorder.run(async () => await ctx.helpers.httpRequest(requestOptions)),
		httpRequestWithAuthentication: async (type, requestOptions) =>
			await recorder.run(async () => await ctx.helpers.httpRequestWithAuthentication.call(ctx, type, requestOptions)),
		credentials: store,
		requests: recorder.requests,
		recorder,
		close: () => undefined,
	};
}

// ------------------------------------------------------------------ static data

/** The stored static data as n8n reads it from the database (the Workflow then observes it). */
export function loadStaticData(persisted: string): IDataObject {
	return (persisted ? JSON.parse(persisted) : {}) as IDataObject;
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
	return loadedNodeType({ description } as INodeType).description.properties;
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

// ------------------------------------------------------------------ poll context

export interface PollContextOptions {
	nodeType: INodeType;
	/** The parameters the user set; defaults come from the node type's description. */
	parameters?: INodeParameters;
	credentials?: CredentialStore | Record<string, ICredentialDataDecryptedObject>;
	/** Reuse helpers (their credential store and request log); created from `credentials` when absent. */
	http?: HttpHelpers;
	/** The stored static data (JSON) the workflow is loaded with. */
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
}

export type HarnessPollContext = TestPollContext & HarnessExtras;

/** n8n-core's PollContext for a node of `nodeType` on a one-node workflow. */
export function createPollContext(opts: PollContextOptions): HarnessPollContext {
	const mode = opts.mode ?? 'trigger';
	const activationMode: WorkflowActivateMode = opts.activationMode ?? (mode === 'manual' ? 'manual' : 'activate');
	const store = opts.http?.credentials ?? toStore(opts.credentials);
	const node = opts.builtNode ?? buildNode(opts.nodeType, opts.parameters, opts.node, store);
	const logger = opts.logger ?? new HarnessLogger();
	const http = opts.http ?? createHttpHelpers(store, { node, logger });
	const workflow = createWorkflow({
		nodeType: opts.nodeType,
		node,
		staticData: loadStaticData(opts.persistedState ?? '{}'),
		id: opts.workflow?.id ?? 'harness-workflow',
		name: opts.workflow?.name ?? 'Harness workflow',
		active: opts.workflow?.active ?? mode === 'trigger',
		timezone: opts.timezone ?? 'America/New_York',
	});
	const additionalData = createAdditionalData(store, { instanceBaseUrl: opts.instanceBaseUrl, executionId: opts.executionId });
	const ctx = new TestPollContext(
		workflow,
		workflow.getNode(node.name)!,
		additionalData,
		mode,
		activationMode,
		logger,
		http.recorder,
		(data) => opts.onEmit?.(data),
		(error) => opts.onEmitError?.(error),
	) as HarnessPollContext;
	Object.defineProperty(ctx, 'harness', { value: { node, staticData: workflow.staticData, logger, http, credentials: store } });
	return ctx;
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
	/** The node as a saved workflow's JSON holds it (wins over `parameters` and `node`). */
	storedNode?: INode;
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
		this.node = options.storedNode ? deepCopy(options.storedNode) : buildNode(options.nodeType, options.parameters, options.node, this.credentials);
		this.http = options.http ?? createHttpHelpers(this.credentials, { node: this.node, logger: this.logger });
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
			const ctx = this.makeContext('manual', 'manual');
			return await this.tick({ staticData: ctx.harness.staticData, ctx, activationMode: 'manual', ended: false }, false);
		}
		const activation = this.current;
		if (!activation) return await this.activate();
		if (activation.pending) {
			await activation.pending;
			if (this.current !== activation) return await this.poll();
		}
		return await this.tick(activation, false);
	}

	private makeContext(mode: 'trigger' | 'manual', activationMode: WorkflowActivateMode): HarnessPollContext {
		return createPollContext({
			...this.options,
			mode,
			activationMode,
			persistedState: this.persisted,
			builtNode: this.node,
			credentials: this.credentials,
			http: this.http,
			logger: this.logger,
		});
	}

	private async activate(): Promise<PollOutcome> {
		const activationMode = this.nextActivationMode;
		const ctx = this.makeContext('trigger', activationMode);
		const activation: Activation = {
			staticData: ctx.harness.staticData,
			ctx,
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
			const poll = this.options.poll ?? ((ctx: IPollFunctions) => type.poll!.call(ctx));
			outcome.items = await this.http.recorder.run(async () => await poll(activation.ctx));
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
