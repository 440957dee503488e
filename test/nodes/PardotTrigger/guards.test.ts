/** The guards around a poll (guards.ts): overlapping polls of one workflow, and the day after Pardot's daily limit. */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { guardedPoll } from '../../../nodes/PardotTrigger/guards';

const node = { name: 'Pardot Trigger' } as INode;

function context(workflowId: string) {
	const lines: string[] = [];
	return {
		lines,
		ctx: {
			getWorkflow: () => ({ id: workflowId, active: true }),
			getNode: () => node,
			logger: { info: (line: string) => lines.push(line) },
		} as unknown as Parameters<typeof guardedPoll>[0],
	};
}

const dailyLimit = () => Object.assign(new NodeOperationError(node, 'Pardot daily limit'), { pardotErrorCode: 122 });
const nothing = async () => undefined;

test('a poll of a workflow whose previous poll is still running yields; other workflows do not wait', async () => {
	const { ctx, lines } = context('wf-overlap');
	let finish: (value: string) => void = () => undefined;
	const first = guardedPoll(ctx, nothing, async () => await new Promise<string>((resolve) => (finish = resolve)));
	expect(await guardedPoll(ctx, nothing, async () => 'second')).toBeNull();
	expect(lines).toEqual(['A previous Pardot poll of this workflow is still running; skipping this one']);
	expect(await guardedPoll(context('wf-other').ctx, nothing, async () => 'other')).toBe('other');
	finish('first');
	expect(await first).toBe('first');
	expect(await guardedPoll(ctx, nothing, async () => 'third')).toBe('third');
});

test('after the daily limit, a small request comes first, and nothing else while Pardot still refuses', async () => {
	const { ctx } = context('wf-limit');
	await expect(guardedPoll(ctx, nothing, async () => Promise.reject(dailyLimit()))).rejects.toThrow('Pardot daily limit');

	let polled = 0;
	const poll = async () => ++polled;
	await expect(guardedPoll(ctx, async () => Promise.reject(dailyLimit()), poll)).rejects.toThrow('Pardot daily limit');
	expect(polled).toBe(0);

	let probed = 0;
	expect(await guardedPoll(ctx, async () => ++probed, poll)).toBe(1);
	// Pardot accepted calls again: no more probes.
	expect(await guardedPoll(ctx, async () => ++probed, poll)).toBe(2);
	expect(probed).toBe(1);
});

test('any other error comes out as a node error, and no probe follows it', async () => {
	const { ctx } = context('wf-error');
	const error = await guardedPoll(ctx, nothing, async () => Promise.reject(new Error('socket hang up'))).catch((e: unknown) => e);
	expect(error).toBeInstanceOf(NodeOperationError);
	let probed = 0;
	expect(await guardedPoll(ctx, async () => ++probed, async () => 'ok')).toBe('ok');
	expect(probed).toBe(0);
});
