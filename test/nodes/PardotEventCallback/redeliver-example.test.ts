import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

/**
 * examples/redeliver-failed-callbacks.json, the error workflow the README recommends for
 * deliveries that must survive hours. Its two Code nodes carry the logic (which failures to
 * re-run, and when); they run here as n8n's Code node runs them ("Run Once for All Items": an
 * async function body with $input and $()), on a fake clock. That it imports and drives a real
 * n8n is the e2e suite's job.
 */

interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: IDataObject;
}

interface Workflow {
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const workflow = JSON.parse(
	readFileSync(path.join(__dirname, '../../../examples/redeliver-failed-callbacks.json'), 'utf8'),
) as Workflow;
const node = (name: string) => {
	const found = workflow.nodes.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`no node "${name}" in the example`);
	return found;
};

type Item = { json: IDataObject };
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
	...args: string[]
) => (...values: unknown[]) => Promise<Item[]>;

/** Runs a Code node's jsCode with its input and the earlier nodes' output. */
async function runCode(
	name: string,
	input: IDataObject,
	earlier: Record<string, IDataObject> = {},
	edit: (code: string) => string = (code) => code,
): Promise<Item[]> {
	const code = edit(node(name).parameters.jsCode as string);
	const $input = { first: () => ({ json: input }), all: () => [{ json: input }] };
	const $ = (other: string) => ({ first: () => ({ json: earlier[other] }) });
	return await new AsyncFunction('$input', '$', code)($input, $);
}

const API = 'http://127.0.0.1:5678/api/v1';

/** What n8n's Error Trigger emits for a failed execution. */
function failure(id: string, retryOf?: string, lastNodeExecuted = 'Pardot Event Callback'): IDataObject {
	return {
		execution: {
			id,
			url: `http://127.0.0.1:5678/workflow/7/executions/${id}`,
			retryOf,
			error: { message: 'The callback URL … answered HTTP 503' },
			lastNodeExecuted,
			mode: retryOf ? 'retry' : 'trigger',
		},
		workflow: { id: '7', name: 'Pardot to CRM' },
	};
}

describe('the re-delivery error workflow (examples/redeliver-failed-callbacks.json)', () => {
	afterEach(() => jest.useRealTimers());

	test('is a chain: Error Trigger, check, read the first failure, plan, Wait, re-run through n8n\'s API', () => {
		const chain = ['Error Trigger', 'Is it a failed delivery?', 'Read the first failed execution', 'When to re-run', 'Wait', 'Re-run it'];
		for (let i = 0; i < chain.length - 1; i++) {
			expect(workflow.connections[chain[i]].main[0].map((next) => next.node)).toEqual([chain[i + 1]]);
		}
		expect(workflow.connections['Re-run it']).toBeUndefined();
		expect(node('Error Trigger').type).toBe('n8n-nodes-base.errorTrigger');
		expect(node('Wait').parameters).toEqual({ amount: '={{ $json.waitSeconds }}', unit: 'seconds' });

		const read = node('Read the first failed execution').parameters;
		expect(read.url).toBe('={{ $json.apiUrl }}/executions/{{ $json.originalExecutionId }}');
		const rerun = node('Re-run it').parameters;
		expect(rerun.method).toBe('POST');
		expect(rerun.url).toBe('={{ $json.apiUrl }}/executions/{{ $json.originalExecutionId }}/retry');
		// The workflow as it ran, so the same input and the same notification ids.
		expect(JSON.parse(rerun.jsonBody as string)).toEqual({ loadWorkflow: false });
		for (const http of [read, rerun]) {
			expect(http.authentication).toBe('predefinedCredentialType');
			expect(http.nodeCredentialType).toBe('n8nApi');
		}
	});

	// late: seconds between a re-run's start and n8n starting this error workflow for its failure (the re-run's own
	// time, its callback's timeout included, and n8n's overhead; about half a second in a real n8n)
	test.each([0, 2.5])('re-runs on Open Connectors\' schedule, 4^n seconds after the first failure, nine times, then gives up (re-runs failing %s s after they start)', async (late) => {
		jest.useFakeTimers();
		const firstFailure = Date.parse('2026-11-27T14:00:00Z');
		const original = { id: '100', status: 'error', startedAt: '2026-11-27T13:59:58.000Z', stoppedAt: '2026-11-27T14:00:00.000Z', retrySuccessId: null };
		jest.setSystemTime(firstFailure);

		const rerunsAt: number[] = [];
		let failed = failure('100');
		for (let n = 1; n <= 20; n++) {
			const [checked] = await runCode('Is it a failed delivery?', failed);
			expect(checked.json).toEqual(expect.objectContaining({ originalExecutionId: '100', apiUrl: API }));
			const planned = runCode('When to re-run', original, { 'Is it a failed delivery?': checked.json });
			if (n === 10) {
				await expect(planned).rejects.toThrow(
					/^Gave up re-running execution 100 of "Pardot to CRM": its deliveries kept failing for 73 hours\. Re-run it from the Executions list/,
				);
				break;
			}
			const [plan] = await planned;
			// The Wait node waits, the re-run starts, fails, and n8n runs this error workflow again.
			jest.setSystemTime(Date.now() + (plan.json.waitSeconds as number) * 1000);
			rerunsAt.push((Date.now() - firstFailure) / 1000);
			jest.setSystemTime(Date.now() + late * 1000);
			failed = failure(String(200 + n), '100');
		}
		// on the schedule, to the second (the Wait node waits whole seconds)
		expect(rerunsAt.map(Math.floor)).toEqual([4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144]);
	});

	test.each([
		[20, 44],
		[100, 156],
		[300, 724],
	])('a failure %s s after the first waits %s s: for the first time on the schedule still ahead (64, 256, 1024 s)', async (elapsed, wait) => {
		jest.useFakeTimers();
		jest.setSystemTime(Date.parse('2026-11-27T14:00:00Z') + elapsed * 1000);
		const [checked] = await runCode('Is it a failed delivery?', failure('201', '100'));
		const [plan] = await runCode('When to re-run', { id: '100', stoppedAt: '2026-11-27T14:00:00.000Z' }, { 'Is it a failed delivery?': checked.json });
		expect(plan.json.waitSeconds).toBe(wait);
	});

	test('refuses settings that would never reach a next time', async () => {
		for (const edit of [(c: string) => c.replace('const GROWTH = 4;', 'const GROWTH = 1;'), (c: string) => c.replace('const FIRST_RETRY_SECONDS = 4;', 'const FIRST_RETRY_SECONDS = 0;')]) {
			expect(edit(node('Is it a failed delivery?').parameters.jsCode as string)).not.toBe(node('Is it a failed delivery?').parameters.jsCode);
			await expect(runCode('Is it a failed delivery?', failure('100'), {}, edit)).rejects.toThrow(
				'Set FIRST_RETRY_SECONDS above 0 and GROWTH above 1 in this Code node.',
			);
		}
	});

	test.each<[string, IDataObject]>([
		['a failure of another node', failure('100', undefined, 'Update CRM')],
		['a trigger that failed before any execution', { trigger: { error: { message: 'Pardot rejected the login' }, mode: 'trigger' }, workflow: { id: '7', name: 'x' } }],
	])('leaves alone %s', async (_name, input) => {
		expect(await runCode('Is it a failed delivery?', input)).toEqual([]);
	});

	test('stops once a re-run went through', async () => {
		const [checked] = await runCode('Is it a failed delivery?', failure('201', '100'));
		const planned = await runCode('When to re-run', { id: '100', stoppedAt: new Date().toISOString(), retrySuccessId: '202' }, { 'Is it a failed delivery?': checked.json });
		expect(planned).toEqual([]);
	});

	test('finds n8n\'s API where the failed execution\'s URL points, a path prefix included', async () => {
		const input = failure('5');
		(input.execution as IDataObject).url = 'https://automation.example.com/n8n/workflow/7/executions/5';
		const [checked] = await runCode('Is it a failed delivery?', input);
		expect(checked.json.apiUrl).toBe('https://automation.example.com/n8n/api/v1');

		(input.execution as IDataObject).url = undefined;
		await expect(runCode('Is it a failed delivery?', input)).rejects.toThrow(/^Set N8N_API_URL in this Code node/);
	});
});
