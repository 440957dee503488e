/**
 * Scenario group "action", in the single-process lines: the Pardot action node inside a real n8n, with the
 * n8n-workflow the host provides.
 *
 * - A workflow Manual Trigger (three pinned items) -> Pardot "Upsert by Email" -> Pardot "List Membership: Add",
 *   run through n8n's REST API as the editor's "Execute workflow" does: the three prospects exist in Pardot (the
 *   simulator), each is on the list, and the node's output has one item per input item. Run twice, the second run
 *   updates the same three prospects (no duplicates).
 * - The Pardot Trigger of another workflow, watching the same account, emits each of them once as CREATED.
 * - n8n offers the node's AI tool variant (usableAsTool; n8n 1.x needs N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE).
 */
import { Flow, type LineCtx } from '../lib/flow';
import { waitFor } from '../lib/n8n';
import { assert, test } from '../lib/report';
import { ACTION_TYPE } from '../lib/workflows';

const EMAILS = ['ada@example.com', 'grace@example.com', 'edsger@example.com'];

function actionWorkflow(name: string, credential: { id: string; name: string }, listId: number) {
	const pardot = (id: string, position: [number, number], parameters: Record<string, unknown>, nodeName: string) => ({
		id,
		name: nodeName,
		type: ACTION_TYPE,
		typeVersion: 1,
		position,
		parameters: { authentication: 'oAuth2', ...parameters },
		credentials: { pardotOAuth2Api: credential },
	});
	return {
		name,
		nodes: [
			{ id: 'manual', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			pardot('upsert', [220, 0], { resource: 'prospect', operation: 'upsert', email: '={{ $json.email }}', additionalFields: { firstName: '={{ $json.first }}' } }, 'Upsert Prospect'),
			pardot('member', [440, 0], { resource: 'listMembership', operation: 'add', list: { __rl: true, mode: 'id', value: String(listId) }, prospect: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }, 'Add to List'),
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Upsert Prospect', type: 'main', index: 0 }]] },
			'Upsert Prospect': { main: [[{ node: 'Add to List', type: 'main', index: 0 }]] },
		},
		pinData: { 'Manual Trigger': EMAILS.map((email) => ({ json: { email, first: email.split('@')[0] } })) },
		settings: { executionOrder: 'v1' },
	};
}

/** Runs the whole workflow as the editor's "Execute workflow" does; the ended execution. */
async function runWorkflow(c: LineCtx, workflowId: string, before: Set<string>): Promise<any> {
	const { n8n } = c;
	if (n8n.major >= 2) await n8n.rest('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: 'Manual Trigger' } });
	else await n8n.rest('POST', `/workflows/${workflowId}/run`, { workflowData: await n8n.getWorkflow(workflowId), triggerToStartFrom: { name: 'Manual Trigger' } });
	const id = await waitFor(
		'the manual execution of the action workflow',
		async () => (await n8n.executions(workflowId)).map((e: any) => String(e.id)).find((e: string) => !before.has(e)) ?? null,
		{ timeoutMs: 60_000, intervalMs: 500 },
	);
	return await n8n.endedExecution(id, 60_000);
}

export function action(c: LineCtx, flows: Flow[]): Array<Promise<boolean>> {
	const { label, n8n } = c;
	const flow = new Flow(c, 'action-upsert-v5');
	flows.push(flow);
	return [
		test(label, 'action node: Manual Trigger -> upsert 3 prospects -> add them to a list; the trigger of another workflow emits them', async (log) => {
			await flow.setup({ auth: 'oAuth2', apiVersion: '5', resources: ['contacts'], events: ['CREATED'], seed: { lists: 1 } });
			const listId = flow.seedResult.listIds[0];
			const wf = await n8n.createWorkflow(actionWorkflow(`e2e action (${label})`, flow.cred, listId));
			const runs: string[] = [];
			for (const round of [1, 2]) {
				const ex = await runWorkflow(c, wf.id, new Set((await n8n.executions(wf.id)).map((e: any) => String(e.id))));
				assert(ex.status === 'success', `run ${round}: execution ${ex.id} ended ${ex.status}: ${JSON.stringify(ex.data?.resultData?.error ?? {}).slice(0, 400)}`);
				const upserted = ex.data.resultData.runData['Upsert Prospect'][0].data.main[0];
				const added = ex.data.resultData.runData['Add to List']?.[0]?.data?.main?.[0] ?? [];
				assert(upserted.length === 3 && upserted.map((i: any) => i.json.email).join() === EMAILS.join(), `run ${round}: upsert output ${JSON.stringify(upserted.map((i: any) => i.json))}`);
				assert(upserted.every((i: any, n: number) => i.pairedItem?.item === n), `run ${round}: pairedItem ${JSON.stringify(upserted.map((i: any) => i.pairedItem))}`);
				runs.push(`run ${round}: execution ${ex.id}, ${upserted.length} upserted, ${added.length} list outputs`);
				if (round === 1) assert(added.length === 3, `run 1: list membership output ${JSON.stringify(added.map((i: any) => i.json))}`);
				else assert(ex.data.resultData.runData['Add to List'] !== undefined, 'run 2: the list node did not run');
			}
			const prospects = (await flow.sim.control.records({ type: 'prospect', deleted: false })) as any[];
			const ours = prospects.filter((p) => EMAILS.includes(p.email));
			assert(ours.length === 3, `Pardot holds ${ours.length} prospects with our emails after two runs (want 3, no duplicates)`);
			const members = ((await flow.sim.control.records({ type: 'listMembership', deleted: false })) as any[]).filter((m) => m.listId === listId);
			assert(ours.every((p) => members.some((m) => m.prospectId === p.id)), `not every prospect is on list ${listId}: ${JSON.stringify(members)}`);
			await flow.pollNow();
			const emitted = await waitFor(
				'the three CREATED events at the receiver',
				async () => {
					const events = c.sink.events(flow.path).filter((e) => ours.some((p) => String(p.id) === e.objectId));
					return events.length >= 3 ? events : null;
				},
				{ timeoutMs: 60_000, intervalMs: 500 },
			);
			assert(emitted.length === 3 && emitted.every((e) => e.eventType === 'CREATED'), `the trigger emitted ${JSON.stringify(emitted.map((e) => [e.eventType, e.objectId]))}`);
			log(`${runs.join('; ')}; Pardot holds 3 prospects, all on list ${listId}; the trigger emitted ${emitted.length} CREATED events (${emitted.map((e) => e.objectId).join(', ')})`);
		}),
		test(label, 'action node: n8n offers its AI tool variant', async (log) => {
			const types = await n8n.nodeTypes();
			const node = types.find((t) => t.name === ACTION_TYPE);
			assert(node, `${ACTION_TYPE} missing from /types/nodes.json`);
			const tool = types.find((t) => t.name === `${ACTION_TYPE}Tool`);
			assert(tool, `${ACTION_TYPE}Tool missing from /types/nodes.json (tool-like types: ${types.filter((t) => /pardot/i.test(t.name)).map((t) => t.name).join(', ')})`);
			log(`${node.name} "${node.displayName}" and its tool variant ${tool.name} "${tool.displayName}" are loaded`);
		}),
	];
}
