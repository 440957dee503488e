/**
 * n8n-core's own node contexts, set up as n8n sets them up, for tests over real HTTP.
 *
 * `PollContext` (a trigger's `this` in poll()) and `ExecuteContext` (a node's `this` in execute())
 * are n8n-core's classes, with n8n-core's request helpers (axios underneath), OAuth2 signing and
 * token renewal, parameter resolution and credential checks, on a real n8n-workflow `Workflow`
 * (static data in its ObservableObject). What n8n's server (packages/cli) would supply is supplied
 * here, and only that:
 * - the credentials helper: this package's credentials from a CredentialStore (credentials.ts),
 *   resolved as n8n's CredentialsHelper resolves them; OAuth2 tokens written back to the store;
 * - the instance settings and the logger that n8n's dependency container holds (each context gets
 *   the HarnessLogger of its test, so a test can search what its node logged).
 * n8n-core 2.11.1 is the version that matches the n8n-workflow this package compiles against and
 * installs on Node 20 (see ARCHITECTURE.md, "Tests").
 *
 * Every HTTP request a context sends (the OAuth2 token calls included) is recorded in the
 * RequestRecorder the context was made with (AsyncLocalStorage follows the calls through n8n-core).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { Logger as N8nLogger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { ExecuteContext, InstanceSettings, PollContext } from 'n8n-core';
// Not in n8n-core's index; n8n's own test helpers import its scheduling service the same way.
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import { commonPollingParameters } from 'n8n-core/dist/nodes-loader/constants';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IPollFunctions,
	IWorkflowExecuteAdditionalData,
	Logger,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ApplicationError, Workflow, createRunExecutionData, deepCopy } from 'n8n-workflow';

import type { CredentialStore } from './credentials';
import { credentialProperties } from './credentials';

// ------------------------------------------------------------------ what n8n's container holds

/** Lines n8n-core logs outside any node context (it uses the container's logger). */
const processLog: Array<{ level: string; message: string }> = [];
const containerLogger = {
	error: (message: string) => processLog.push({ level: 'error', message }),
	warn: (message: string) => processLog.push({ level: 'warn', message }),
	info: (message: string) => processLog.push({ level: 'info', message }),
	debug: (message: string) => processLog.push({ level: 'debug', message }),
	scoped() {
		return this;
	},
};
Container.set(N8nLogger, containerLogger as unknown as N8nLogger);
// The real InstanceSettings reads and writes the n8n user folder (an encryption key): not in tests.
Container.set(InstanceSettings, { instanceId: 'test-instance', hmacSignatureSecret: 'test-hmac-secret' } as unknown as InstanceSettings);
// The real one starts a cleanup timer that keeps the process alive; these nodes open no SSH tunnel.
Container.set(SSHClientsManager, {
	getClient: async () => {
		throw new ApplicationError('test harness: no SSH tunnels');
	},
} as unknown as SSHClientsManager);

// ------------------------------------------------------------------ request recording

/** One line per HTTP request sent: method, URL, status or error code, duration. No headers or bodies. */
export interface RequestRecord {
	method: string;
	url: string;
	status?: number;
	error?: string;
	ms: number;
	/** performance.now() when the request was handed to axios, and when its answer's headers (or its error) came. */
	startedAt: number;
	endedAt: number;
}

/** Where the requests of the calls running inside `run()` are recorded. */
export class RequestRecorder {
	readonly requests: RequestRecord[] = [];

	/** Called with each request's URL right before it is sent (tests change the simulator at that moment). */
	beforeSend?: (url: string) => void;

	run<T>(fn: () => Promise<T>): Promise<T> {
		return recorderStore.run(this, fn);
	}
}

const recorderStore = new AsyncLocalStorage<RequestRecorder>();

interface AxiosLike {
	interceptors: {
		request: { use(onFulfilled: (config: any) => any): unknown };
		response: { use(onFulfilled: (response: any) => any, onRejected: (error: any) => any): unknown };
	};
}

const started = Symbol('started');

/** Records through the axios instances n8n-core sends with (its own, and the OAuth2 client's). */
function instrument(axios: AxiosLike): void {
	axios.interceptors.request.use((config) => {
		config[started] = performance.now();
		recorderStore.getStore()?.beforeSend?.(String(config.url ?? ''));
		return config;
	});
	const record = (config: any, outcome: { status?: number; error?: string }) => {
		const recorder = recorderStore.getStore();
		if (!recorder || !config) return;
		const endedAt = performance.now();
		const startedAt = Number(config[started] ?? endedAt);
		recorder.requests.push({
			method: String(config.method ?? 'get').toUpperCase(),
			url: String(config.url ?? ''),
			...outcome,
			ms: Math.round(endedAt - startedAt),
			startedAt,
			endedAt,
		});
	};
	axios.interceptors.response.use(
		(response) => {
			record(response.config, { status: response.status });
			return response;
		},
		(error) => {
			record(error?.config, error?.response ? { status: error.response.status } : { error: String(error?.code ?? error?.message) });
			throw error;
		},
	);
}

// Each axios as its user resolves it: n8n-core's, and the one of n8n's OAuth2 client.
const requireFromCore = createRequire(createRequire(__filename).resolve('n8n-core'));
instrument(requireFromCore('axios') as AxiosLike);
instrument(createRequire(requireFromCore.resolve('@n8n/client-oauth2'))('axios') as AxiosLike);

// ------------------------------------------------------------------ the workflow

export interface WorkflowOptions {
	nodeType: INodeType;
	node: INode;
	/** The workflow's static data as loaded from the database (the Workflow wraps it to notice changes). */
	staticData?: IDataObject;
	id?: string;
	name?: string;
	active?: boolean;
	/** The workflow's time zone; default n8n's default, America/New_York. */
	timezone?: string;
	settings?: IDataObject;
}

/**
 * A node type as n8n's loader leaves it (n8n-core DirectoryLoader.applySpecialNodeParameters): a
 * polling node's properties start with n8n's own Poll Times parameter.
 */
export function loadedNodeType(nodeType: INodeType): INodeType {
	const { description } = nodeType;
	if (!description.polling || description.properties.some((p) => p.name === 'pollTimes')) return nodeType;
	const loaded = Object.create(nodeType) as INodeType;
	loaded.description = { ...description, properties: [...commonPollingParameters, ...description.properties] };
	return loaded;
}

/** A one-node n8n-workflow Workflow, as n8n builds it from a stored workflow. */
export function createWorkflow(options: WorkflowOptions): Workflow {
	const nodeType = loadedNodeType(options.nodeType);
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	return new Workflow({
		id: options.id ?? 'test-workflow',
		name: options.name ?? 'Test workflow',
		// n8n builds the Workflow from stored JSON, and the Workflow fills in the node's parameters: a copy.
		nodes: [deepCopy(options.node)],
		connections: {},
		active: options.active ?? false,
		nodeTypes,
		staticData: options.staticData,
		settings: { ...(options.settings ?? {}), ...(options.timezone ? { timezone: options.timezone } : {}) },
	});
}

// ------------------------------------------------------------------ what n8n's server supplies

/** n8n's CredentialsHelper for the credentials of one store. */
function credentialsHelper(store: CredentialStore) {
	return {
		getParentTypes: (type: string) => store.parentTypes(type),
		async authenticate(_credentials: ICredentialDataDecryptedObject, type: string, requestOptions: IHttpRequestOptions) {
			// n8n applies a credential type's `authenticate`; none of this package's types has one.
			if (store.credentialType(type)?.authenticate) throw new ApplicationError(`test harness: "${type}" defines authenticate, which is not supported`);
			return requestOptions;
		},
		preAuthentication: async () => undefined,
		getCredentials: async () => {
			throw new ApplicationError('test harness: getCredentials is not used by the node contexts');
		},
		async getDecrypted(_additionalData: unknown, _nodeCredentials: INodeCredentialsDetails, type: string) {
			const data = store.getDecrypted(type);
			if (!data) throw new ApplicationError(`Credential of type "${type}" does not exist`);
			return data;
		},
		updateCredentials: async (_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) => {
			store.set(type, data);
		},
		updateCredentialsOauthTokenData: async (_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) => {
			store.updateOauthTokenData(type, data.oauthTokenData as IDataObject);
		},
		getCredentialsProperties: (type: string) => {
			const credentialType = store.credentialType(type);
			return credentialType ? credentialProperties(credentialType) : [];
		},
	};
}

export interface AdditionalDataOptions {
	/** Default 'http://localhost:5678/'. */
	instanceBaseUrl?: string;
	/** n8n gives pollers no execution id. */
	executionId?: string;
}

export function createAdditionalData(store: CredentialStore, options: AdditionalDataOptions = {}): IWorkflowExecuteAdditionalData {
	const instanceBaseUrl = options.instanceBaseUrl ?? 'http://localhost:5678/';
	return {
		credentialsHelper: credentialsHelper(store),
		executionId: options.executionId,
		instanceBaseUrl,
		restApiUrl: `${instanceBaseUrl}rest`,
		webhookBaseUrl: `${instanceBaseUrl}webhook`,
		webhookTestBaseUrl: `${instanceBaseUrl}webhook-test`,
		webhookWaitingBaseUrl: `${instanceBaseUrl}webhook-waiting`,
		formWaitingBaseUrl: `${instanceBaseUrl}form-waiting`,
		variables: {},
		currentNodeParameters: undefined,
		executeWorkflow: async () => {
			throw new ApplicationError('test harness: no sub-workflows');
		},
		getRunExecutionData: async () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
}

// ------------------------------------------------------------------ the contexts

/** n8n-core's PollContext whose logger is the test's (n8n injects its own the same way, by container). */
export class TestPollContext extends PollContext {
	constructor(
		workflow: Workflow,
		node: INode,
		additionalData: IWorkflowExecuteAdditionalData,
		mode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
		private readonly testLogger: Logger,
		readonly recorder: RequestRecorder,
		emit?: IPollFunctions['__emit'],
		emitError?: IPollFunctions['__emitError'],
	) {
		super(workflow, node, additionalData, mode, activation, emit, emitError);
	}

	override get logger(): N8nLogger {
		return this.testLogger as unknown as N8nLogger;
	}
}

/** n8n-core's ExecuteContext for one run of a node over `items`, with the test's logger. */
export class TestExecuteContext extends ExecuteContext {
	constructor(
		workflow: Workflow,
		node: INode,
		additionalData: IWorkflowExecuteAdditionalData,
		items: INodeExecutionData[],
		private readonly testLogger: Logger,
		abortSignal?: AbortSignal,
	) {
		const inputData = { main: [items] };
		const executeData: IExecuteData = { node, data: inputData, source: null };
		super(workflow, node, additionalData, 'manual', createRunExecutionData(), 0, items, inputData, executeData, [], abortSignal);
	}

	override get logger(): N8nLogger {
		return this.testLogger as unknown as N8nLogger;
	}
}
