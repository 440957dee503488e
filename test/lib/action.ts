/**
 * Runs the Pardot action node in n8n-core's own contexts (test/lib/n8n/core.ts), over real HTTP to the simulator:
 * execute() in an ExecuteContext (parameters and expressions resolved by n8n, credentials from a store, requests
 * sent by n8n-core's httpRequest / OAuth2 helpers), and the pickers in a LoadOptionsContext.
 */
import type { IDataObject, ICredentialDataDecryptedObject, ILoadOptionsFunctions, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { LoadOptionsContext } from 'n8n-core';

import { Pardot } from '../../nodes/Pardot/Pardot.node';
import { executePardot } from '../../nodes/Pardot/actions/router';
import type { ActionOptions } from '../../nodes/Pardot/api/client';
import type { SimulatorHandle } from '../../simulator';
import { CredentialStore, HarnessLogger, RequestRecorder, TestExecuteContext, createAdditionalData, createWorkflow } from './n8n';
import type { Flavor } from './pardot';
import { authenticationOf, credentialsFor, FAST_RETRIES, testSessions } from './pardot';

export interface ActionRun {
	flavor: Flavor;
	parameters: INodeParameters;
	/** Each entry becomes one input item's json. */
	items?: IDataObject[];
	continueOnFail?: boolean;
	credentials?: ICredentialDataDecryptedObject;
	/** Node options (concurrency, import polling); transport retries default to fast ones. */
	options?: ActionOptions;
}

export interface ActionResult {
	output?: INodeExecutionData[];
	error?: Error & { description?: string | null; itemIndex?: number; httpCode?: string | null };
	requests: number;
	durationMs: number;
}

function nodeOf(run: Pick<ActionRun, 'flavor' | 'parameters' | 'continueOnFail'>): INode {
	const credential = authenticationOf(run.flavor) === 'legacy' ? 'pardotApi' : 'pardotOAuth2Api';
	return {
		id: 'pardot-node-id',
		name: 'Pardot',
		type: 'n8n-nodes-pardot.pardot',
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: authenticationOf(run.flavor), ...run.parameters },
		credentials: { [credential]: { id: 'cred-1', name: 'Pardot' } },
		continueOnFail: run.continueOnFail === true,
	};
}

export async function runAction(sim: Pick<SimulatorHandle, 'baseUrl'>, run: ActionRun): Promise<ActionResult> {
	const nodeType = new Pardot();
	const node = nodeOf(run);
	const store = new CredentialStore(credentialsFor(run.flavor, sim.baseUrl, run.credentials));
	const workflow = createWorkflow({ nodeType, node, id: 'workflow-action', name: 'Pardot action test', active: false });
	const items: INodeExecutionData[] = (run.items ?? [{}]).map((json) => ({ json }));
	const context = new TestExecuteContext(workflow, workflow.getNode(node.name)!, createAdditionalData(store), items, new HarnessLogger());
	const recorder = new RequestRecorder();
	const options: ActionOptions = { importPollMs: 20, importPollMaxMs: 100, ...run.options, transport: { ...FAST_RETRIES, sessions: testSessions(), ...run.options?.transport } };
	const started = Date.now();
	try {
		const [output] = await recorder.run(async () => await executePardot(context, options));
		return { output, requests: recorder.requests.length, durationMs: Date.now() - started };
	} catch (error) {
		return { error: error as ActionResult['error'], requests: recorder.requests.length, durationMs: Date.now() - started };
	}
}

/** The output jsons of a run that must have succeeded. */
export async function jsonOf(sim: Pick<SimulatorHandle, 'baseUrl'>, run: ActionRun): Promise<IDataObject[]> {
	const result = await runAction(sim, run);
	if (result.error) throw result.error;
	return result.output!.map((o) => o.json);
}

/** Calls one of the node's pickers (loadOptions or listSearch) as n8n's editor does. */
export async function runPicker(
	sim: Pick<SimulatorHandle, 'baseUrl'>,
	flavor: Flavor,
	kind: 'loadOptions' | 'listSearch',
	method: string,
	filter?: string,
): Promise<unknown> {
	const nodeType = new Pardot();
	const node = nodeOf({ flavor, parameters: {} });
	const store = new CredentialStore(credentialsFor(flavor, sim.baseUrl));
	const workflow = createWorkflow({ nodeType, node });
	const additionalData = createAdditionalData(store);
	Object.assign(additionalData, { currentNodeParameters: node.parameters });
	const context = new LoadOptionsContext(workflow, workflow.getNode(node.name)!, additionalData, '') as unknown as ILoadOptionsFunctions;
	const fn = (nodeType.methods[kind] as Record<string, (this: ILoadOptionsFunctions, filter?: string) => Promise<unknown>>)[method];
	return await fn.call(context, filter);
}
