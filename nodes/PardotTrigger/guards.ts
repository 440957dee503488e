import type { IPollFunctions } from 'n8n-workflow';

import { asNodeError } from '../common/errors';
import { PARDOT_ERROR } from '../shared/transport/errors';
import { pardotErrorCode } from '../shared/transport/failures';

/**
 * Two guards around a poll, per workflow and trigger node, for the life of the process:
 * - polls of one workflow can overlap (n8n does not prevent it): the second one yields;
 * - after Pardot's daily limit (error 122), each poll first makes one small request, and fails at once
 *   while Pardot still answers 122, so nothing else is spent on a day that is over.
 */

const pollsInFlight = new Set<string>();
const dailyLimitReached = new Set<string>();

type GuardContext = Pick<IPollFunctions, 'getWorkflow' | 'getNode' | 'logger'>;

function workflowKey(ctx: GuardContext): string {
	const id = ctx.getWorkflow()?.id;
	return id === undefined || id === null || id === '' ? '' : `${id}:${ctx.getNode().name}`;
}

/**
 * Runs `poll` unless a poll of the same workflow and node is still running (then null, with a line in
 * the log). After error 122, `probe` (one small request) runs first. Errors come out as node errors.
 */
export async function guardedPoll<T>(ctx: GuardContext, probe: () => Promise<unknown>, poll: () => Promise<T>): Promise<T | null> {
	const key = workflowKey(ctx);
	if (pollsInFlight.has(key)) {
		ctx.logger.info('A previous Pardot poll of this workflow is still running; skipping this one');
		return null;
	}
	pollsInFlight.add(key);
	try {
		if (dailyLimitReached.has(key)) {
			// One request tells whether Pardot accepts calls again; while it does not, nothing else is sent.
			await probe();
			dailyLimitReached.delete(key);
		}
		return await poll();
	} catch (error) {
		if (pardotErrorCode(error) === PARDOT_ERROR.dailyLimit) dailyLimitReached.add(key);
		throw asNodeError(ctx.getNode(), error);
	} finally {
		pollsInFlight.delete(key);
	}
}
