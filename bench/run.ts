/**
 * `npm run bench`: API calls, wall time, memory, static data and callback throughput of the Pardot
 * nodes, measured against the simulator with a fixed per-request latency. This file runs the
 * measurements; report.ts renders BENCHMARKS.md from their results (results.ts). Prints the page and
 * writes it. Not a test: it fails nothing.
 *
 *   npm run bench -- [--latency 50] [--runs 3] [--big-runs 1] [--max-n 100000] [--steady-polls 1000] [--latency-polls 300]
 *                    [--only calls,objects,same,state,big,backfill,steady,latency,callback,action] [--out BENCHMARKS.md] [--no-write]
 *   npm run bench -- --only action     # the action node alone: its section is put into BENCHMARKS.md, the rest kept
 *   npm run bench -- --report-only     # re-render the last run (bench/.last-run.json), e.g. after editing NOTES.md
 */
import './register';

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { INodeExecutionData } from 'n8n-workflow';

import { renderAction, runActionBench, spliceAction } from './action';
import type { CallbackRun } from './callback';
import { CallbackBench } from './callback';
import { BASELINE, drain, freshStore, runCallsCase, type CallsCase } from './calls';
import type { Combo } from './lib';
import { COMBOS, comboOf, fmtNum, forgetSessions, machine, mb, MINUTE, OBJECT_COMBOS, summarize } from './lib';
import type { PollJobResult } from './poll-job';
import { RemoteSim, Rpc } from './remote';
import { report } from './report';
import { loadResults, saveResults, SECTIONS, type BigRow, type CallsRow, type Options, type Results } from './results';
import { runLatency } from './latency';
import { runSteady } from './steady';
import { runBurst, runDst } from './state';

// ---------------------------------------------------------------- options

function parseOptions(argv: string[]): Options {
	const get = (name: string): string | undefined => {
		const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
		if (i < 0) return undefined;
		return argv[i].includes('=') ? argv[i].split('=').slice(1).join('=') : argv[i + 1];
	};
	const num = (name: string, fallback: number) => {
		const raw = get(name);
		const value = raw === undefined ? fallback : Number(raw);
		if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
		return value;
	};
	const only = get('only');
	return {
		latency: num('latency', 50),
		runs: Math.max(1, Math.floor(num('runs', 3))),
		bigRuns: Math.max(1, Math.floor(num('big-runs', 1))),
		maxN: num('max-n', 100_000),
		steadyPolls: Math.max(1, Math.floor(num('steady-polls', 1000))),
		latencyPolls: Math.max(1, Math.floor(num('latency-polls', 300))),
		only: new Set(only ? only.split(',').map((s) => s.trim()) : SECTIONS),
		out: path.resolve(get('out') ?? path.join(__dirname, '..', 'BENCHMARKS.md')),
		write: !argv.includes('--no-write'),
	};
}

const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

// ---------------------------------------------------------------- sections

function sizesFor(combo: Combo, maxN: number): number[] {
	const sizes = [0, 1, 199, 200, 201];
	if (combo.pageSize === 1000) sizes.push(999, 1000, 1001);
	sizes.push(10_000);
	return sizes.filter((n) => n <= maxN);
}

async function callsSection(sim: RemoteSim, o: Options, r: Results, keep: { items?: INodeExecutionData[] }): Promise<void> {
	for (const combo of COMBOS) {
		// Warm-up (JIT, time zone tables, keep-alive), not counted.
		await runCallsCase(sim, { combo, n: 201 });
		for (const n of sizesFor(combo, o.maxN)) {
			const row: CallsRow = { combo, n, runs: [] };
			for (let i = 0; i < o.runs; i++) {
				const wantItems = combo.key === 'contacts-v4' && n === 10_000 && !keep.items;
				const run = await runCallsCase(sim, { combo, n }, wantItems);
				if (wantItems) keep.items = run.items;
				delete run.items;
				row.runs.push(run);
			}
			log(`calls ${combo.key} n=${n}: ${row.runs[0].poll.data} calls, ${fmtNum(summarize(row.runs.map((x) => x.pollMs)).median)} ms`);
			r.calls.push(row);
		}
	}
}

/**
 * The objects beyond contacts and leads: idle, one change, a page and one more, 10,000 changes; and for visitor
 * activities, 1,000 form submissions among 10,000 new activities with Activity Types = Form Submission.
 */
async function objectsSection(sim: RemoteSim, o: Options, r: Results): Promise<void> {
	const row = async (c: CallsCase, label?: string) => {
		const out: CallsRow = { combo: c.combo, n: c.n, label, noise: c.noise, runs: [] };
		for (let i = 0; i < o.runs; i++) out.runs.push(await runCallsCase(sim, c));
		log(`objects ${c.combo.key} n=${c.n}${c.noise ? ` + ${c.noise} others` : ''}: ${out.runs[0].poll.data} calls, ${out.runs[0].events} events`);
		r.objects.push(out);
	};
	for (const combo of OBJECT_COMBOS) {
		await runCallsCase(sim, { combo, n: 201 });
		for (const n of [0, 1, combo.pageSize + 1, 10_000].filter((x) => x <= o.maxN)) await row({ combo, n });
		if (combo.resource === 'visitorActivities' && 10_000 <= o.maxN) {
			const mix = { n: 1000, noise: 9000, activityTypes: ['formSubmission'] };
			await row({ combo, ...mix }, 'form submissions among 10,000 new activities');
			// The same at the default Max Events Per Poll: how many polls until every form submission was emitted.
			await freshStore(sim, combo);
			const run = await drain(sim, combo, { ...mix, maxEventsPerPoll: 1000, maxPolls: 100 });
			log(`objects drain ${combo.key}: ${run.polls} polls, ${run.calls} calls, ${run.uniqueEvents} unique events`);
			r.objectsDrain.push({ combo, n: mix.n, noise: mix.noise, maxEventsPerPoll: 1000, run });
		}
		if (combo.resource === 'listMemberships') {
			// More pending than one poll may emit: v3/v4 cannot read a window of the oldest (no updated_at sort).
			const n = Math.min(1000, o.maxN);
			await freshStore(sim, combo);
			const run = await drain(sim, combo, { n, maxEventsPerPoll: 100, maxPolls: 100 });
			log(`objects drain ${combo.key}: ${run.polls} polls, ${run.calls} calls, ${run.uniqueEvents} unique events`);
			r.objectsDrain.push({ combo, n, maxEventsPerPoll: 100, run });
		}
	}
}

async function sameSection(sim: RemoteSim, o: Options, r: Results): Promise<void> {
	const n = Math.min(1000, o.maxN);
	for (const combo of COMBOS) {
		await runCallsCase(sim, { combo, n: 201 });
		const row: CallsRow = { combo, n, label: 'one updated_at', runs: [] };
		for (let i = 0; i < o.runs; i++) row.runs.push(await runCallsCase(sim, { combo, n, sameInstant: true }));
		log(`same-instant ${combo.key}: ${row.runs[0].poll.data} calls`);
		r.same.push(row);
	}
	// The same burst drained by polls smaller than it: can the cursor split one second?
	for (const key of ['contacts-v4', 'contacts-v5']) {
		const combo = comboOf(key);
		await freshStore(sim, combo);
		const run = await drain(sim, combo, { n, sameInstant: true, maxEventsPerPoll: 100, maxPolls: 100 });
		log(`same-instant drain ${key}: ${run.polls} polls, ${run.calls} calls, ${run.uniqueEvents} unique events`);
		r.sameDrain.push({ combo, n, maxEventsPerPoll: 100, run });
	}
}

/** 100,000 changes spread over the week before now; baseline records older than that. */
async function bigStore(sim: RemoteSim, combo: Combo, n: number): Promise<string> {
	await sim.reset();
	forgetSessions();
	const now = await sim.clock({ freeze: true });
	const week = 7 * 24 * 60 * MINUTE;
	await sim.bulkCreate({ type: combo.type, n: BASELINE, fromMs: now - 4 * week, toMs: now - 2 * week });
	await sim.bulkCreate({ type: combo.type, n, fromMs: now - week, toMs: now - 5 * MINUTE, tag: 5_000_000 });
	return new Date(now - week - MINUTE).toISOString();
}

async function bigSection(sim: RemoteSim, o: Options, r: Results): Promise<void> {
	const n = 100_000;
	if (n > o.maxN) return;
	for (const combo of COMBOS) {
		const row: BigRow = { combo, n, runs: [] };
		for (let i = 0; i < o.bigRuns; i++) {
			const startFrom = await bigStore(sim, combo, n);
			const job = Rpc.start('poll-job.ts', ['--expose-gc']);
			try {
				await sim.resetStats();
				const result = await job.call<PollJobResult>('poll', { baseUrl: sim.baseUrl, combo, startFrom, maxEventsPerPoll: n + 10_000 });
				const stats = await sim.stats();
				const simData = ['prospect.query', 'opportunity.query', 'v5.prospects', 'v5.opportunities'].reduce((s, k) => s + (stats.byEndpoint[k] ?? 0), 0);
				const simLogins = (stats.byEndpoint.login ?? 0) + (stats.byEndpoint['oauth.token'] ?? 0);
				const bareMs = await job.call<number>('bare');
				row.runs.push({ ...result, bareMs, simData, simLogins });
				log(`big ${combo.key}: ${simData} calls, poll ${fmtNum(result.pollMs / 1000, 1)} s, bare ${fmtNum(bareMs / 1000, 1)} s, RSS +${fmtNum(mb(result.rssGrowth))} MB`);
			} finally {
				await job.call('close').catch(() => undefined);
				job.kill();
			}
		}
		r.big.push(row);
	}
}

async function backfillSection(sim: RemoteSim, o: Options, r: Results): Promise<void> {
	const n = Math.min(100_000, o.maxN);
	const maxEventsPerPoll = 1000;
	for (const key of ['contacts-v4', 'contacts-v5']) {
		const combo = comboOf(key);
		const startFrom = await bigStore(sim, combo, n);
		const run = await drain(sim, combo, { n, startFrom, maxEventsPerPoll });
		log(`backfill ${key}: ${run.polls} polls, ${run.calls} calls, ${fmtNum(run.ms / 1000, 1)} s`);
		r.backfill.push({ combo, n, maxEventsPerPoll, run });
	}
	// v3/v4 opportunities: every poll reads the whole table, so the catch-up costs polls x pages.
	const combo = comboOf('leads-v4');
	const polls = Math.ceil(n / maxEventsPerPoll);
	const perPoll = Math.ceil((BASELINE + n) / combo.pageSize);
	r.backfill.push({
		combo,
		n,
		maxEventsPerPoll,
		computed: {
			polls,
			calls: polls * perPoll,
			why: `not run: each of the ${polls} polls reads all ${fmtNum(BASELINE + n)} opportunities (${perPoll} calls, as the idle and 100k rows show)`,
		},
	});
}

async function stateSection(sim: RemoteSim, r: Results): Promise<void> {
	for (const key of ['contacts-v4', 'contacts-v5']) {
		const run = await runBurst(sim, comboOf(key), 350, 3000, 100);
		log(`burst ${key}: ${run.polls} polls, calls per poll ${run.callsPerPoll.join(' ')}, state max ${run.maxStateBytes} B`);
		r.bursts.push(run);
	}
	for (const rate of [30, 300]) {
		const run = await runDst(sim, comboOf('contacts-v4'), rate);
		log(`dst ${rate}/10 min: state max ${run.maxStateBytes} B (elsewhere ${run.maxStateBytesElsewhere} B)`);
		r.dst.push(run);
	}
}

async function steadySection(sim: RemoteSim, o: Options, r: Results): Promise<void> {
	// Bytes do not depend on latency; without it 2 x 1,000 polls take seconds, not minutes. (The next
	// section's reset restores the configured latency.)
	for (const flavor of ['legacy-v4', 'oauth-v5'] as const) {
		const run = await runSteady(sim, flavor, o.steadyPolls, 0);
		log(`steady ${flavor}: ${run.polls} polls, final ${run.finalBytes} B, max ${run.maxBytes} B`);
		r.steady.push(run);
	}
}

async function latencySection(sim: RemoteSim, o: Options, r: Results): Promise<void> {
	// Latency 0 and a frozen clock, as in steady: the delays measured are simulated time. Each API with
	// the trigger before (settled: as it is) and after (emitWhenVisible).
	for (const flavor of ['legacy-v4', 'oauth-v5'] as const) {
		for (const variant of ['settled', 'visible'] as const) {
			const run = await runLatency(sim, flavor, variant, o.latencyPolls);
			const problems = run.neverEmitted + run.emittedTwice;
			log(
				`latency ${flavor} ${variant}: ${run.changes} changes (${run.late} late), p95 emitted − visible ${Math.round(run.sinceVisible.all.p95 / 1000)} s, ` +
					`${problems ? `*** ${run.neverEmitted} NEVER EMITTED, ${run.emittedTwice} EMITTED TWICE ***` : 'every change emitted once'}`,
			);
			r.latency.push(run);
		}
	}
}

async function callbackSection(sim: RemoteSim, o: Options, r: Results, keep: { items?: INodeExecutionData[] }): Promise<void> {
	let items = keep.items;
	if (!items) {
		const run = await runCallsCase(sim, { combo: comboOf('contacts-v4'), n: 10_000 }, true);
		items = run.items!;
	}
	const bench = await CallbackBench.start();
	try {
		// Warm-up (JIT, keep-alive connections), not counted.
		await bench.run(items.slice(0, 500), 10);
		for (const batchSize of [1, 10, 100]) {
			const count = batchSize === 1 ? Math.min(2_000, items.length) : items.length;
			const runs: CallbackRun[] = [];
			for (let i = 0; i < o.runs; i++) runs.push(await bench.run(items.slice(0, count), batchSize));
			log(`callback batch ${batchSize}: ${fmtNum(summarize(runs.map((x) => x.eventsPerSecond)).median)} events/s`);
			r.callback.push({ batchSize, runs });
		}
	} finally {
		await bench.close();
	}
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
	const o = parseOptions(process.argv.slice(2));
	const lastRun = path.join(__dirname, '.last-run.json');
	if (process.argv.includes('--report-only')) {
		// Re-renders the last run (e.g. after editing bench/NOTES.md) without measuring again.
		const markdown = report(loadResults(lastRun));
		process.stdout.write(`${markdown}\n`);
		if (o.write) writeFileSync(o.out, markdown);
		return;
	}
	const started = performance.now();
	const r: Results = {
		machine: machine(),
		options: o,
		calls: [],
		objects: [],
		objectsDrain: [],
		same: [],
		sameDrain: [],
		big: [],
		backfill: [],
		steady: [],
		latency: [],
		bursts: [],
		dst: [],
		callback: [],
		notes: [],
		totalMs: 0,
	};
	log(`latency ${o.latency} ms, ${o.runs} runs, sections ${[...o.only].join(',')}`);
	const sim = await RemoteSim.start({ latencyMs: o.latency });
	const keep: { items?: INodeExecutionData[] } = {};
	const section = async (name: string, fn: () => Promise<void>) => {
		if (!o.only.has(name)) return;
		const t = performance.now();
		try {
			await fn();
		} catch (error) {
			const message = `section ${name} stopped: ${(error as Error)?.stack ?? error}`;
			log(message);
			r.notes.push(message.split('\n')[0]);
		}
		log(`section ${name}: ${fmtNum((performance.now() - t) / 1000, 1)} s`);
	};
	try {
		await section('calls', () => callsSection(sim, o, r, keep));
		await section('objects', () => objectsSection(sim, o, r));
		await section('same', () => sameSection(sim, o, r));
		await section('state', () => stateSection(sim, r));
		await section('callback', () => callbackSection(sim, o, r, keep));
		keep.items = undefined;
		await section('steady', () => steadySection(sim, o, r));
		await section('latency', () => latencySection(sim, o, r));
		await section('big', () => bigSection(sim, o, r));
		await section('backfill', () => backfillSection(sim, o, r));
		await section('action', async () => {
			r.action = await runActionBench(sim, o.latency, o.runs, log);
		});
	} finally {
		await sim.close();
	}
	r.totalMs = performance.now() - started;
	r.machine.loadEnd = os.loadavg()[0];
	if (o.only.size === 1 && r.action) {
		// The action node alone: its section goes into the page as it is; the rest of the page is not regenerated.
		const section = renderAction(r.action);
		process.stdout.write(`${section}\n`);
		if (o.write) {
			spliceAction(o.out, section);
			log(`wrote the action node's section into ${o.out}`);
		}
		return;
	}
	const markdown = report(r);
	process.stdout.write(`${markdown}\n`);
	if (o.write) {
		writeFileSync(o.out, markdown);
		log(`wrote ${o.out}`);
	}
	saveResults(lastRun, r);
}

main().catch((error) => {
	log(`bench failed: ${(error as Error)?.stack ?? error}`);
	process.exitCode = 1;
});

