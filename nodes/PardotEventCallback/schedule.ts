/**
 * Bounded concurrency that keeps per-resource order: a job starts only after every earlier job
 * that shares one of its resources (objectTypes) has succeeded. Jobs on disjoint resources run
 * side by side, up to `concurrency` at once. A receiver therefore never sees a later change of
 * a resource before an earlier one, even across retries.
 */

/** For each job, the earlier jobs it waits for: the latest earlier job per shared resource. */
export function orderingDependencies(resources: ReadonlyArray<readonly string[]>): number[][] {
	const latest = new Map<string, number>();
	return resources.map((keys, index) => {
		const waitsFor = new Set<number>();
		for (const key of keys) {
			const previous = latest.get(key);
			if (previous !== undefined) waitsFor.add(previous);
			latest.set(key, index);
		}
		return [...waitsFor].sort((a, b) => a - b);
	});
}

export type JobState<R> =
	| { state: 'done'; ok: boolean; result: R }
	/** Not started: `by`, an earlier job on a shared resource, did not succeed. */
	| { state: 'blocked'; by: number }
	/** Not started: the run stopped first (a failure without Continue On Fail, or a cancellation). */
	| { state: 'notStarted' };

export interface RunOptions<R> {
	concurrency: number;
	/** Whether a job's result counts as success (a failed job blocks later jobs on its resources). */
	succeeded: (result: R) => boolean;
	/** Whether a result ends the whole run: nothing new starts, running jobs finish. */
	stops: (result: R) => boolean;
}

export async function runInResourceOrder<R>(
	resources: ReadonlyArray<readonly string[]>,
	options: RunOptions<R>,
	run: (index: number) => Promise<R>,
): Promise<Array<JobState<R>>> {
	const waitsFor = orderingDependencies(resources);
	const states: Array<JobState<R> | undefined> = resources.map(() => undefined);
	const running = new Set<number>();
	const limit = Math.max(1, Math.floor(options.concurrency));
	let stopped = false;
	let crashed: { error: unknown } | undefined;

	const succeeded = (index: number) => {
		const state = states[index];
		return state?.state === 'done' && state.ok;
	};

	return await new Promise((resolve, reject) => {
		const pump = () => {
			if (!stopped) {
				for (let index = 0; index < states.length && running.size < limit; index++) {
					if (states[index] !== undefined || running.has(index)) continue;
					const blocker = waitsFor[index].find((earlier) => states[earlier] !== undefined && !succeeded(earlier));
					if (blocker !== undefined) states[index] = { state: 'blocked', by: blocker };
					else if (waitsFor[index].every(succeeded)) start(index);
				}
			}
			// With nothing running after a full scan, nothing left can start: the run is over.
			if (running.size > 0) return;
			const final = states.map((state): JobState<R> => state ?? { state: 'notStarted' });
			if (crashed) reject(crashed.error);
			else resolve(final);
		};

		const start = (index: number) => {
			running.add(index);
			Promise.resolve()
				.then(async () => await run(index))
				.then(
					(result) => {
						const ok = options.succeeded(result);
						states[index] = { state: 'done', ok, result };
						if (options.stops(result)) stopped = true;
					},
					(error: unknown) => {
						crashed ??= { error };
						stopped = true;
					},
				)
				.finally(() => {
					running.delete(index);
					pump();
				});
		};

		pump();
	});
}
