import { orderingDependencies, runInResourceOrder, type JobState } from '../../../nodes/PardotEventCallback/schedule';

describe('orderingDependencies', () => {
	test.each<[string, string[][], number[][]]>([
		['nothing', [], []],
		['one resource', [['c'], ['c'], ['c']], [[], [0], [1]]],
		['disjoint', [['c'], ['l'], ['c'], ['l']], [[], [], [0], [1]]],
		['mixed waits for the latest of each', [['c'], ['l'], ['c', 'l'], ['l']], [[], [], [0, 1], [2]]],
		['shared latest counted once', [['c', 'l'], ['c', 'l']], [[], [0]]],
	])('%s', (_name, resources, expected) => {
		expect(orderingDependencies(resources)).toEqual(expected);
	});
});

/** Jobs that finish after a given delay and record when they ran. */
function recorder(delays: number[], ok: (index: number) => boolean = () => true) {
	const log: Array<{ index: number; start: number; end: number }> = [];
	let running = 0;
	let maxRunning = 0;
	const run = async (index: number) => {
		running++;
		maxRunning = Math.max(maxRunning, running);
		const start = Date.now();
		await new Promise((resolve) => setTimeout(resolve, delays[index] ?? 0));
		running--;
		log.push({ index, start, end: Date.now() });
		return { index, ok: ok(index) };
	};
	return { run, log, maxRunning: () => maxRunning };
}

const options = (concurrency: number, stopOnFailure = false) => ({
	concurrency,
	succeeded: (result: { ok: boolean }) => result.ok,
	stops: (result: { ok: boolean }) => stopOnFailure && !result.ok,
});

const summary = (states: Array<JobState<{ ok: boolean }>>) =>
	states.map((state) => (state.state === 'done' ? (state.ok ? 'ok' : 'failed') : state.state === 'blocked' ? `blocked by ${state.by}` : 'not started'));

describe('runInResourceOrder', () => {
	test('same resource: strictly one after the other, in order, even when later jobs are faster', async () => {
		const jobs = recorder([30, 1, 20, 1]);
		const states = await runInResourceOrder([['c'], ['c'], ['c'], ['c']], options(4), jobs.run);
		expect(summary(states)).toEqual(['ok', 'ok', 'ok', 'ok']);
		expect(jobs.log.map((entry) => entry.index)).toEqual([0, 1, 2, 3]);
		for (let i = 1; i < jobs.log.length; i++) expect(jobs.log[i].start).toBeGreaterThanOrEqual(jobs.log[i - 1].end);
		expect(jobs.maxRunning()).toBe(1);
	});

	test('disjoint resources overlap up to the limit', async () => {
		const resources = Array.from({ length: 12 }, (_, i) => [`r${i}`]);
		const jobs = recorder(Array(12).fill(15));
		await runInResourceOrder(resources, options(4), jobs.run);
		expect(jobs.maxRunning()).toBe(4);
	});

	test('a job waits for every resource it shares', async () => {
		const jobs = recorder([40, 5, 1]);
		await runInResourceOrder([['c'], ['l'], ['c', 'l']], options(4), jobs.run);
		const byIndex = new Map(jobs.log.map((entry) => [entry.index, entry]));
		expect(byIndex.get(2)!.start).toBeGreaterThanOrEqual(byIndex.get(0)!.end);
		expect(byIndex.get(2)!.start).toBeGreaterThanOrEqual(byIndex.get(1)!.end);
	});

	test('a failure holds back later jobs of its resources, transitively; others go on', async () => {
		const jobs = recorder([1, 1, 1, 1, 1, 1], (index) => index !== 0);
		const states = await runInResourceOrder([['c'], ['l'], ['c'], ['c', 'l'], ['l'], ['a']], options(2), jobs.run);
		expect(summary(states)).toEqual(['failed', 'ok', 'blocked by 0', 'blocked by 2', 'blocked by 3', 'ok']);
		expect(jobs.log.map((entry) => entry.index).sort()).toEqual([0, 1, 5]);
	});

	test('a stopping result lets running jobs finish and starts nothing new', async () => {
		const jobs = recorder([5, 30, 1, 1], (index) => index !== 0);
		const states = await runInResourceOrder([['a'], ['b'], ['c'], ['d']], options(2, true), jobs.run);
		expect(summary(states)).toEqual(['failed', 'ok', 'not started', 'not started']);
	});

	test('a job that throws ends the run with its error, after running jobs finish', async () => {
		let finished = false;
		const run = async (index: number) => {
			if (index === 0) throw new Error('bug');
			await new Promise((resolve) => setTimeout(resolve, 20));
			finished = true;
			return { ok: true };
		};
		await expect(runInResourceOrder([['a'], ['b'], ['c']], options(2), run)).rejects.toThrow('bug');
		expect(finished).toBe(true);
	});

	test('no jobs', async () => {
		await expect(runInResourceOrder([], options(4), async () => ({ ok: true }))).resolves.toEqual([]);
	});
});
