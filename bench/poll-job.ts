/**
 * One big poll in a fresh Node process (run with --expose-gc), so its RSS and heap growth are the
 * trigger's own: no simulator, no earlier scenarios in this heap. Driven over IPC by run.ts.
 */
import './register';

import type { PollRunner } from '../test/lib/n8n';
import type { RequestRecord } from '../test/lib/n8n';
import type { Combo } from './lib';
import { bareTransfer, countRequests, gc, itemsOf, makeRunner, stateBytes, warmUp } from './lib';

export interface PollJobInput {
	baseUrl: string;
	combo: Combo;
	startFrom: string;
	maxEventsPerPoll: number;
}

export interface PollJobResult {
	events: number;
	uniqueEvents: number;
	pollMs: number;
	requestMs: number;
	dataRequests: number;
	loginRequests: number;
	stateBytes: number;
	rssBefore: number;
	/** Highest RSS during the poll minus RSS before it. */
	rssGrowth: number;
	/** Highest heapUsed seen during the poll minus heapUsed before it (after a full GC). */
	heapGrowth: number;
	/** heapUsed after the poll and a full GC, minus before: what the returned items hold. */
	heapRetained: number;
}

let runner: PollRunner | undefined;
let requests: RequestRecord[] = [];
let input: PollJobInput | undefined;

async function poll(arg: PollJobInput): Promise<PollJobResult> {
	input = arg;
	runner = makeRunner(arg.baseUrl, {
		flavor: arg.combo.flavor,
		resources: [arg.combo.resource],
		startFrom: arg.startFrom,
		maxEventsPerPoll: arg.maxEventsPerPoll,
	});
	await warmUp(runner, arg.baseUrl);
	const firstRequest = runner.http.requests.length;
	gc();
	const before = process.memoryUsage();
	const maxRssBefore = process.resourceUsage().maxRSS * 1024;
	let peakRss = before.rss;
	let peakHeap = before.heapUsed;
	const sample = () => {
		const now = process.memoryUsage();
		peakRss = Math.max(peakRss, now.rss);
		peakHeap = Math.max(peakHeap, now.heapUsed);
	};
	const timer = setInterval(sample, 5);
	const started = performance.now();
	const outcome = await runner.poll();
	const pollMs = performance.now() - started;
	sample();
	clearInterval(timer);
	if (outcome.error) throw outcome.error;
	const maxRssAfter = process.resourceUsage().maxRSS * 1024;
	// The kernel's high-water mark catches peaks between samples, when it rose during the poll.
	if (maxRssAfter > maxRssBefore) peakRss = Math.max(peakRss, maxRssAfter);
	const items = itemsOf(outcome.items);
	const result = {
		events: items.length,
		uniqueEvents: new Set(items.map((i) => i.json.eventId)).size,
		pollMs,
		requestMs: 0,
		dataRequests: 0,
		loginRequests: 0,
		stateBytes: stateBytes(runner),
		rssBefore: before.rss,
		rssGrowth: peakRss - before.rss,
		heapGrowth: peakHeap - before.heapUsed,
		heapRetained: 0,
	};
	gc();
	result.heapRetained = process.memoryUsage().heapUsed - before.heapUsed;
	requests = runner.http.requests.slice(firstRequest);
	const counted = countRequests(requests);
	result.dataRequests = counted.data;
	result.loginRequests = counted.logins;
	result.requestMs = requests.filter((r) => !/oauth2|login/.test(r.url)).reduce((sum, r) => sum + r.ms, 0);
	return result;
}

async function bare(): Promise<number> {
	if (!runner || !input) throw new Error('poll first');
	return (await bareTransfer(runner, input.baseUrl, input.combo.flavor, requests)).ms;
}

async function handle(op: string, arg: any): Promise<unknown> {
	if (op === 'poll') return await poll(arg as PollJobInput);
	if (op === 'bare') return await bare();
	if (op === 'close') {
		runner?.close();
		setImmediate(() => process.exit(0));
		return { ok: true };
	}
	throw new Error(`unknown operation ${op}`);
}

process.on('message', (message: { id: number; op: string; arg: unknown }) => {
	handle(message.op, message.arg).then(
		(result) => process.send!({ id: message.id, ok: true, result }),
		(error: Error) => process.send!({ id: message.id, ok: false, error: error?.stack ?? String(error) }),
	);
});
