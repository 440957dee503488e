/**
 * Scenario group "retries", in every line: the Pardot Event Callback retrying for real inside n8n, with the
 * n8n-workflow the host n8n provides. A receiver that answers 503, 503, then 200 gets three identical requests
 * (same body bytes, Elements-Webhook-Id and signature) and the execution succeeds reporting 3 attempts; a receiver
 * that answers 503 with `Retry-After: 1` is tried again after that second, not after the node's own backoff.
 */
import { Flow, type LineCtx } from '../lib/flow';
import { waitFor } from '../lib/n8n';
import { assert, test, type Log } from '../lib/report';
import { type SinkAttempt } from '../lib/sink';

const CALLBACK_NODE = 'Pardot Event Callback';

export interface RetryOptions {
	/** queue mode: which process ran an execution ("worker 1"...); the check fails unless it is a worker */
	ranOn?: (executionId: string) => Promise<string>;
}

export function retries(c: LineCtx, flows: Flow[], o: RetryOptions = {}): Array<Promise<boolean>> {
	const { label } = c;
	const three = new Flow(c, 'retry-503-503-200');
	const after = new Flow(c, 'retry-after-1');
	flows.push(three, after);

	return [
		test(label, 'callback retries: 503, 503, 200 -> three identical requests, success, 3 attempts reported', async (log) => {
			// One resource: one notification (notifications are grouped by object type).
			await three.setup({ auth: 'legacy', apiVersion: '4', resources: ['contacts'] });
			c.sink.failNext(three.path, 2, 503);
			await three.changes();
			await three.pollNow();
			await three.waitDelivered('delivery after two 503 answers', 60_000);
			const attempts = c.sink.attempts(three.path);
			assert(
				attempts.map((a) => a.status).join(',') === '503,503,200',
				`the receiver answered ${attempts.map((a) => a.status).join(', ')} (want 503, 503, 200)`,
			);
			assertIdentical(attempts);
			const gaps = gapsOf(attempts);
			// the default backoff: retry n waits between half and all of 1 s * 2^(n-1)
			assert(gaps[0] >= 450 && gaps[1] >= 950, `retries came too early: ${gaps.join(' ms, ')} ms apart`);
			const out = await callbackOutput(c, three.wfId, id(attempts[0]));
			assert(out.json.attempts === 3 && out.json.status === 200, `the node reported ${JSON.stringify(out.json)}`);
			await where(o, out.executionId, log);
			log(`3 requests ${gaps.map((g) => `${g} ms`).join(' and ')} apart, same ${attempts[0].body.length} body bytes, id ${id(attempts[0])}; execution ${out.executionId} succeeded, output attempts=3`);
		}),
		test(label, 'callback retries: 503 with Retry-After: 1 -> the next attempt a second later', async (log) => {
			// a backoff of 10 to 20 s, so that a retry after about one second can only come from Retry-After
			await after.setup({ auth: 'legacy', apiVersion: '4', resources: ['contacts'], callbackOptions: { retryBaseDelay: 20_000 } });
			c.sink.failNext(after.path, 1, 503, { 'Retry-After': '1' });
			await after.changes();
			await after.pollNow();
			await after.waitDelivered('delivery after a 503 with Retry-After: 1', 60_000);
			const attempts = c.sink.attempts(after.path);
			assert(attempts.map((a) => a.status).join(',') === '503,200', `the receiver answered ${attempts.map((a) => a.status).join(', ')}`);
			assertIdentical(attempts);
			const [gap] = gapsOf(attempts);
			assert(gap >= 950 && gap < 5_000, `the retry came ${gap} ms after the 503 with Retry-After: 1`);
			const out = await callbackOutput(c, after.wfId, id(attempts[0]));
			assert(out.json.attempts === 2 && out.json.status === 200, `the node reported ${JSON.stringify(out.json)}`);
			await where(o, out.executionId, log);
			log(`retried ${gap} ms after the 503 (Retry-After: 1; the node's own backoff would have waited 10-20 s); output attempts=2`);
		}),
	];
}

const id = (a: SinkAttempt) => String(a.headers['elements-webhook-id'] ?? '');

/** Every attempt carries the very same notification: body bytes, Elements-Webhook-Id, signature. */
export function assertIdentical(attempts: SinkAttempt[]) {
	const [first, ...rest] = attempts;
	assert(first && id(first), 'no Elements-Webhook-Id on the first request');
	for (const [i, a] of rest.entries()) {
		assert(a.body.equals(first.body), `request ${i + 2} has a different body than request 1`);
		assert(id(a) === id(first), `request ${i + 2} has Elements-Webhook-Id ${id(a)}, request 1 had ${id(first)}`);
		const sig = (x: SinkAttempt) => x.headers['elements-webhook-signature'];
		assert(sig(first) && sig(a) === sig(first), `request ${i + 2} has signature ${sig(a)}, request 1 had ${sig(first)}`);
	}
}

function gapsOf(attempts: SinkAttempt[]) {
	return attempts.slice(1).map((a, i) => a.receivedAt - attempts[i].receivedAt);
}

/** The callback node's output item for one notification, and the execution that produced it. */
export async function callbackOutput(c: LineCtx, workflowId: string, notificationId: string) {
	return waitFor(
		`the successful execution that delivered notification ${notificationId}`,
		async () => {
			for (const e of await c.n8n.executions(workflowId)) {
				if (e.status !== 'success') continue;
				const ex = await c.n8n.execution(e.id);
				const items = ex.data?.resultData?.runData?.[CALLBACK_NODE]?.[0]?.data?.main?.[0] ?? [];
				const item = items.find((i: any) => i.json?.notificationId === notificationId);
				if (item) return { executionId: String(e.id), json: item.json };
			}
			return null;
		},
		{ timeoutMs: 30_000, intervalMs: 1000 },
	);
}

async function where(o: RetryOptions, executionId: string, log: Log) {
	if (!o.ranOn) return;
	const name = await o.ranOn(executionId);
	assert(name.startsWith('worker'), `execution ${executionId} ran on ${name}, not on a worker`);
	log(`execution ${executionId} ran on ${name}`);
}
