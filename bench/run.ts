/**
 * `npm run bench` (issue 6): API calls, wall time, memory, static data and callback throughput of
 * the Pardot nodes, measured against the simulator with a fixed per-request latency. Prints the
 * tables and writes BENCHMARKS.md. Not a test: it fails nothing.
 *
 *   npm run bench -- [--latency 50] [--runs 3] [--big-runs 1] [--max-n 100000] [--steady-polls 1000]
 *                    [--only calls,same,big,backfill,steady,callback] [--out BENCHMARKS.md] [--no-write]
 *   npm run bench -- --report-only     # re-render the last run (bench/.last-run.json), e.g. after editing NOTES.md
 */
import './register';

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { INodeExecutionData } from 'n8n-workflow';

import type { CallbackRun } from './callback';
import { CallbackBench } from './callback';
import type { CallsRun, DrainRun } from './calls';
import { apiFloorCalls, BASELINE, drain, freshStore, minimumCalls, runCallsCase } from './calls';
import type { Combo, Machine } from './lib';
import { COMBOS, comboOf, fmtBytes, fmtNum, fmtSummary, forgetSessions, machine, mb, MINUTE, summarize } from './lib';
import type { PollJobResult } from './poll-job';
import { RemoteSim, Rpc } from './remote';
import type { SteadyRun } from './steady';
import { runSteady } from './steady';
import type { BurstRun, DstRun } from './state';
import { runBurst, runDst } from './state';

// ---------------------------------------------------------------- options

interface Options {
	latency: number;
	runs: number;
	bigRuns: number;
	maxN: number;
	steadyPolls: number;
	only: Set<string>;
	out: string;
	write: boolean;
}

const SECTIONS = ['calls', 'same', 'state', 'big', 'backfill', 'steady', 'callback'];

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
		only: new Set(only ? only.split(',').map((s) => s.trim()) : SECTIONS),
		out: path.resolve(get('out') ?? path.join(__dirname, '..', 'BENCHMARKS.md')),
		write: !argv.includes('--no-write'),
	};
}

const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

// ---------------------------------------------------------------- results

interface CallsRow {
	combo: Combo;
	n: number;
	label?: string;
	runs: CallsRun[];
}

interface BigRow {
	combo: Combo;
	n: number;
	runs: Array<PollJobResult & { bareMs: number; simData: number; simLogins: number }>;
}

interface BackfillRow {
	combo: Combo;
	n: number;
	maxEventsPerPoll: number;
	run?: DrainRun;
	/** Not run: what it would cost, computed from the measured idle poll. */
	computed?: { polls: number; calls: number; why: string };
}

interface DrainRow {
	combo: Combo;
	n: number;
	maxEventsPerPoll: number;
	run: DrainRun;
}

interface Results {
	machine: Machine;
	options: Options;
	calls: CallsRow[];
	same: CallsRow[];
	sameDrain: DrainRow[];
	big: BigRow[];
	backfill: BackfillRow[];
	steady: SteadyRun[];
	bursts: BurstRun[];
	dst: DstRun[];
	callback: Array<{ batchSize: number; runs: CallbackRun[] }>;
	notes: string[];
	totalMs: number;
}

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

// ---------------------------------------------------------------- report

const s = (values: number[]) => summarize(values);
const TICK = 'met';
const CROSS = '**missed**';

function callsTable(rows: CallsRow[]): string[] {
	const out = [
		'| stream | changes | events | data calls | minimum | ratio | API floor | logins (activation + poll) | poll ms | bare transfer ms | time ratio | state |',
		'|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
	];
	for (const row of rows) {
		const calls = s(row.runs.map((x) => x.poll.data));
		const min = minimumCalls(row.combo, row.n);
		const floor = apiFloorCalls(row.combo, row.n);
		const events = s(row.runs.map((x) => x.events));
		const lost = row.runs.some((x) => x.events !== row.n || x.uniqueEvents !== x.events) ? ' ⚠' : '';
		const logins = `${fmtSummary(s(row.runs.map((x) => x.activation.logins)))} + ${fmtSummary(s(row.runs.map((x) => x.poll.logins)))}`;
		out.push(
			`| ${row.combo.label} | ${fmtNum(row.n)}${row.label ? ` (${row.label})` : ''} | ${fmtSummary(events)}${lost} | ${fmtSummary(calls)} | ${fmtNum(min)} | ${fmtNum(calls.median / min, 2)} | ${floor === min ? '=' : fmtNum(floor)} | ${logins} | ${fmtSummary(s(row.runs.map((x) => x.pollMs)))} | ${fmtSummary(s(row.runs.map((x) => x.bareMs)))} | ${fmtSummary(s(row.runs.map((x) => x.ratio)), 2)} | ${fmtBytes(s(row.runs.map((x) => x.stateBytes)).median)} |`,
		);
	}
	return out;
}

function report(r: Results): string {
	const o = r.options;
	const m = r.machine;
	const lines: string[] = [];
	const push = (...l: string[]) => lines.push(...l);
	push(
		'# Benchmarks',
		'',
		'Generated by `npm run bench` (bench/run.ts, issue 6). The real Pardot Trigger runs under the n8n-faithful poll',
		'harness (test/harness: PollRunner, real HTTP, static data saved as n8n saves it) against the Pardot simulator,',
		`which answers every API request after a fixed **${o.latency} ms** (\`--latency\`). Figures are the median of`,
		`${o.runs} runs with (min–max); the 100,000-change polls ran ${o.bigRuns} time(s). Ratios are computed pair by pair`,
		'inside one run, then their median taken. Nothing here fails: targets are reported, not enforced.',
		'',
		'## Machine',
		'',
		`| CPU | cores | RAM | Node | OS | date | code | load average, start / end |`,
		'|---|--:|--:|---|---|---|---|---|',
		`| ${m.cpu} | ${m.cores} | ${fmtNum(m.ramGb, 1)} GB | ${m.node} | ${m.os} | ${m.date} | ${m.code} | ${fmtNum(m.loadStart ?? NaN, 2)} / ${fmtNum(m.loadEnd ?? NaN, 2)} |`,
		'',
		`Whole run: ${fmtNum(r.totalMs / 1000 / 60, 1)} min. The simulator runs in a separate process (\`--max-semi-space-size=64\`),`,
		'the 100,000-change polls each in a fresh process of their own, so time and memory are the trigger\'s.',
		'',
	);

	// ---- targets
	const targets: string[] = [];
	const callRows = [...r.calls, ...r.same];
	if (callRows.length) {
		const worst = callRows
			.map((row) => ({ row, ratio: s(row.runs.map((x) => x.poll.data)).median / minimumCalls(row.combo, row.n) }))
			.sort((a, b) => b.ratio - a.ratio);
		const missed = worst.filter((w) => w.ratio > 1.02);
		const missedApi = missed.filter((w) => s(w.row.runs.map((x) => x.poll.data)).median > apiFloorCalls(w.row.combo, w.row.n) * 1.02);
		targets.push(
			`| calls / minimum ≤ 1.02 | ${missed.length ? `${CROSS} in ${missed.length} of ${worst.length} rows (worst ${fmtNum(worst[0].ratio, 2)}: ${worst[0].row.combo.label}, ${fmtNum(worst[0].row.n)} changes); above the API floor in ${missedApi.length} rows` : TICK} |`,
		);
	}
	const timeRows = [...r.calls, ...r.same];
	if (timeRows.length || r.big.length) {
		const ratios = [
			...timeRows.map((row) => ({ label: `${row.combo.label}, ${fmtNum(row.n)}`, ratio: s(row.runs.map((x) => x.ratio)).median })),
			...r.big.map((row) => ({ label: `${row.combo.label}, ${fmtNum(row.n)}`, ratio: s(row.runs.map((x) => x.pollMs / x.bareMs)).median })),
		].sort((a, b) => b.ratio - a.ratio);
		const missed = ratios.filter((x) => x.ratio > 1.15);
		targets.push(
			`| wall time / bare transfer ≤ 1.15 | ${missed.length ? `${CROSS} in ${missed.length} of ${ratios.length} rows (worst ${fmtNum(ratios[0].ratio, 2)}: ${ratios[0].label})` : TICK} |`,
		);
	}
	if (r.big.length) {
		const worst = Math.max(...r.big.flatMap((row) => row.runs.map((x) => Math.max(x.rssGrowth, x.heapGrowth))));
		targets.push(`| memory growth for 100,000 changes ≤ 256 MB | ${mb(worst) <= 256 ? TICK : CROSS} (worst ${fmtNum(mb(worst))} MB) |`);
	}
	if (r.steady.length) {
		const worst = Math.max(...r.steady.map((x) => x.maxBytes / x.resources.length));
		targets.push(`| static data ≤ 2 KB per resource in steady state | ${worst <= 2048 ? TICK : CROSS} (largest ${fmtNum(worst)} B per resource) |`);
	}
	if (r.bursts.length || r.dst.length) {
		const worst = Math.max(...r.bursts.map((b) => b.maxStateBytes), ...r.dst.map((d) => d.maxStateBytes));
		targets.push(`| static data ≤ 16 KB per resource under bursts and DST | ${worst <= 16_384 ? TICK : CROSS} (largest ${fmtBytes(worst)}) |`);
	}
	for (const b of r.bursts) {
		// While the burst itself drains: its second by id (limit ≤ one page) + the creations query.
		const burstPolls = b.callsPerPoll.slice(2, Math.floor(b.burst / b.limit));
		const ok = burstPolls.every((n) => n <= Math.ceil(b.limit / b.combo.pageSize) + 1);
		targets.push(`| ${b.combo.label}: a same-second burst drains at ceil(limit / page) + 1 calls per poll | ${ok ? TICK : CROSS} (${burstPolls.join(', ')}) |`);
	}
	const b10 = r.callback.find((x) => x.batchSize === 10);
	if (b10) {
		const eps = s(b10.runs.map((x) => x.eventsPerSecond)).median;
		targets.push(`| callback ≥ 2,000 events/s at batch 10 | ${eps >= 2000 ? TICK : CROSS} (${fmtNum(eps)} events/s) |`);
	}
	if (targets.length) push('## Targets', '', '| target | result |', '|---|---|', ...targets, '');

	// ---- calls
	if (r.calls.length || r.same.length) {
		push(
			'## Calls vs. the physical minimum, wall time vs. transfer',
			'',
			`One watched resource per row; ${fmtNum(BASELINE)} unchanged records of its type exist before activation. The changes are`,
			'new records written over the 50 s after activation (or all at one instant), then the clock moves 3 minutes on so',
			'every change is settled, and one poll (Max Events Per Poll above N) takes them all. **data calls**: Pardot query',
			'requests of that poll; **minimum**: 1 when idle, ceil(N / page size) otherwise (200 on v4, 1,000 on v5);',
			'**API floor**: what the API allows at best where that differs (v3/v4 cannot filter opportunities by update',
			'date, so every poll reads all of them); **logins**: legacy logins or OAuth token requests, counted apart from',
			'data calls; **bare transfer**: the same URLs fetched in a loop with nothing done to the answers, right after the',
			'poll (each preceded by one request, so both start on a warm connection); **time ratio**: poll / bare transfer;',
			'**state**: the trigger\'s static data as n8n stores it after the poll.',
			'',
			...callsTable([...r.calls, ...r.same]),
			'',
		);
		const activation = s([...r.calls, ...r.same].flatMap((row) => row.runs.map((x) => x.activation.data)));
		push(`The activation poll before each row made ${fmtSummary(activation)} data call(s) for its one resource.`, '');
	}
	if (r.sameDrain.length) {
		push(
			`### ${fmtNum(r.sameDrain[0].n)} changes sharing one updated_at, drained ${r.sameDrain[0].maxEventsPerPoll} per poll`,
			'',
			'Polls until every change was emitted; **empty polls**: polls that emitted nothing while changes were pending',
			'(each costs one poll interval of delay).',
			'',
			'| stream | polls | empty polls | data calls | minimum calls | events | unique events | largest state |',
			'|---|--:|--:|--:|--:|--:|--:|--:|',
			...r.sameDrain.map(
				(d) =>
					`| ${d.combo.label} | ${fmtNum(d.run.polls)}${d.run.stalled ? ' (gave up)' : ''} | ${fmtNum(d.run.emptyPolls)} | ${fmtNum(d.run.calls)} | ${fmtNum(Math.ceil(d.n / d.maxEventsPerPoll) * Math.ceil(Math.min(d.maxEventsPerPoll, d.n) / d.combo.pageSize))} | ${fmtNum(d.run.events)} | ${fmtNum(d.run.uniqueEvents)} | ${fmtBytes(d.run.maxStateBytes)} |`,
			),
			'',
		);
	}

	// ---- state under bursts and DST
	if (r.bursts.length) {
		const b0 = r.bursts[0];
		push(
			`### A burst of ${fmtNum(b0.burst)} changes sharing one second, then ${fmtNum(b0.backlog)} more, drained ${b0.limit} per poll`,
			'',
			'The position keeps the second and the last record id emitted in it, so the burst drains a page at a time and',
			'nothing emitted is read again. **calls per poll**: data calls of each poll, in order (the burst polls first). **minimum**: one',
			'request per poll for the next `limit` records (a page holds them all).',
			'',
			'| stream | polls | calls per poll | total calls | minimum | events | unique events | largest state |',
			'|---|--:|---|--:|--:|--:|--:|--:|',
			...r.bursts.map(
				(b) =>
					`| ${b.combo.label} | ${fmtNum(b.polls)} | ${compactRuns(b.callsPerPoll)} | ${fmtNum(b.callsPerPoll.reduce((a, c) => a + c, 0))} | ${fmtNum(Math.ceil((b.burst + b.backlog) / b.limit))} | ${fmtNum(b.events)} | ${fmtNum(b.uniqueEvents)} | ${fmtBytes(b.maxStateBytes)} |`,
			),
			'',
		);
	}
	if (r.dst.length) {
		push(
			'### Saved state through a daylight-saving fall-back (v3/v4)',
			'',
			'One poll a minute from 00:00 to 04:00 in New York on 1 November 2026 (01:00-02:00 happens twice), with updates of',
			'a pool of 5,000 prospects between polls. v3/v4 dates in the repeated hour name two instants: the trigger remembers',
			'the changes it emitted there until the hour is over, in a compact form (about 8 bytes a change).',
			'',
			'| stream | changes per 10 min | polls | events | unique events | largest state | largest state outside the two hours |',
			'|---|--:|--:|--:|--:|--:|--:|',
			...r.dst.map(
				(d) =>
					`| ${d.combo.label}, ${d.zone} | ${fmtNum(d.changesPer10Min)} | ${fmtNum(d.polls)} | ${fmtNum(d.events)} | ${fmtNum(d.uniqueEvents)} | ${fmtBytes(d.maxStateBytes)} | ${fmtBytes(d.maxStateBytesElsewhere)} |`,
			),
			'',
		);
	}

	// ---- big
	if (r.big.length) {
		push(
			'## 100,000 changes in one poll: calls, time, memory',
			'',
			`${fmtNum(BASELINE)} older records plus 100,000 changed over the past week; the poll starts from *Start From* a week ago`,
			'with Max Events Per Poll 110,000, in a fresh Node process (`--expose-gc`). **RSS / heap growth**: the highest value',
			'sampled during the poll (every 5 ms, and the kernel\'s max RSS) minus the value before it, after a full GC;',
			'**retained**: heap still held after the poll and a full GC (the emitted items, which n8n then holds too);',
			'**trigger work**: poll time minus the time its requests took (parsing, date conversion, sorting, events).',
			`${o.bigRuns === 1 ? 'One run' : `${o.bigRuns} runs`} per row: at this size the time ratio moves by about ±0.1 with other load on the machine.`,
			'',
			'| stream | events | data calls | minimum | ratio | logins | poll s | bare transfer s | time ratio | trigger work s | RSS growth | heap growth | retained | state |',
			'|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
		);
		for (const row of r.big) {
			const calls = s(row.runs.map((x) => x.simData));
			const min = minimumCalls(row.combo, row.n);
			const floor = apiFloorCalls(row.combo, row.n);
			const events = s(row.runs.map((x) => x.events));
			const lost = row.runs.some((x) => x.events !== row.n || x.uniqueEvents !== x.events) ? ' ⚠' : '';
			push(
				`| ${row.combo.label} | ${fmtSummary(events)}${lost} | ${fmtSummary(calls)} | ${fmtNum(min)}${floor !== min ? ` (API floor ${fmtNum(floor)})` : ''} | ${fmtNum(calls.median / min, 2)} | ${fmtSummary(s(row.runs.map((x) => x.simLogins)))} | ${fmtSummary(s(row.runs.map((x) => x.pollMs / 1000)), 1)} | ${fmtSummary(s(row.runs.map((x) => x.bareMs / 1000)), 1)} | ${fmtSummary(s(row.runs.map((x) => x.pollMs / x.bareMs)), 2)} | ${fmtSummary(s(row.runs.map((x) => (x.pollMs - x.requestMs) / 1000)), 1)} | ${fmtSummary(s(row.runs.map((x) => mb(x.rssGrowth))))} MB | ${fmtSummary(s(row.runs.map((x) => mb(x.heapGrowth))))} MB | ${fmtSummary(s(row.runs.map((x) => mb(x.heapRetained))))} MB | ${fmtBytes(s(row.runs.map((x) => x.stateBytes)).median)} |`,
			);
		}
		push('');
	}

	// ---- backfill
	if (r.backfill.length) {
		push(
			'## Backfill: catching up on 100,000 changes with Start From',
			'',
			'The same store as above; *Start From* a week ago, default Max Events Per Poll (1,000), polls back to back until',
			'every change has been emitted. **minimum calls**: ceil(N / page size) in total, spread over',
			'ceil(N / 1,000) polls. **time**: the polls\' own time; in n8n each poll waits for the next poll time, so catching up',
			'takes at least (polls − 1) × the poll interval (about 1h40 at one poll a minute).',
			'',
			'| stream | changes | polls | empty polls | data calls | minimum calls | ratio | logins | time s | events | unique events | largest state |',
			'|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
		);
		for (const b of r.backfill) {
			const min = Math.ceil(b.n / b.combo.pageSize);
			if (b.run) {
				const lost = b.run.uniqueEvents !== b.n ? ' ⚠' : '';
				push(
					`| ${b.combo.label} | ${fmtNum(b.n)} | ${fmtNum(b.run.polls)}${b.run.stalled ? ' (gave up)' : ''} | ${fmtNum(b.run.emptyPolls)} | ${fmtNum(b.run.calls)} | ${fmtNum(min)} | ${fmtNum(b.run.calls / min, 2)} | ${fmtNum(b.run.logins)} | ${fmtNum(b.run.ms / 1000, 1)} | ${fmtNum(b.run.events)} | ${fmtNum(b.run.uniqueEvents)}${lost} | ${fmtBytes(b.run.maxStateBytes)} |`,
				);
			} else if (b.computed) {
				push(
					`| ${b.combo.label} | ${fmtNum(b.n)} | ${fmtNum(b.computed.polls)} | – | ${fmtNum(b.computed.calls)} (computed) | ${fmtNum(min)} | ${fmtNum(b.computed.calls / min, 2)} | – | – | – | – | – |`,
				);
				push('', `v4 leads: ${b.computed.why}.`);
			}
		}
		push('');
	}

	// ---- steady
	if (r.steady.length) {
		push(
			`## Static data in steady state: ${fmtNum(r.steady[0].polls)} consecutive polls`,
			'',
			'Contacts and leads watched together; 1,000 prospects and 150 opportunities; before each one-minute poll 0–4',
			'changes per resource (updates, one in five a new record) at random instants of the past minute. Latency 0 here',
			'(bytes do not depend on it), and the legacy api_key does not expire: the simulated clock runs a minute per poll,',
			'far faster than the real hour after which the trigger renews the key. OAuth2 tokens expire every 2 simulated',
			'hours as usual. **API floor**: 1 query per resource, but all opportunity pages on v3/v4 (150 at first, more as',
			'records are created). **persisted**: what n8n stores (saved when a poll emits); per resource = / 2.',
			'',
			'| API | polls | changes | events | data calls per poll | API floor per poll | persisted after 10 / 100 / last poll | largest persisted | per resource | largest in memory |',
			'|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
			...r.steady.map(
				(x) =>
					`| ${x.flavor} | ${fmtNum(x.polls)} | ${fmtNum(x.changes)} | ${fmtNum(x.events)} | ${fmtNum(x.dataCalls / x.polls, 2)} | ${fmtNum(x.floorCalls / x.polls, 2)} | ${[10, 100, x.polls].map((k) => fmtBytes(x.bytesAt[k])).join(' / ')} | ${fmtBytes(x.maxBytes)} | ${fmtBytes(x.maxBytes / x.resources.length)} | ${fmtBytes(x.maxLiveBytes)} |`,
			),
			'',
			'**Share of Pardot\'s daily API quota** this workflow uses when it polls every minute (1,440 polls a day; the',
			'quota counts every API call, logins included on v3/v4 once an hour). Pardot\'s editions allow 25,000 (Growth),',
			'50,000 (Plus) or 100,000 (Advanced, Premium) calls a day, shared by every integration of the account.',
			'',
			'| API | calls per day | Growth (25,000) | Plus (50,000) | Advanced (100,000) |',
			'|---|--:|--:|--:|--:|',
			...r.steady.map((x) => {
				const perDay = ((x.dataCalls + x.logins) / x.polls) * 1440 + (x.flavor.startsWith('legacy') ? 24 : 0);
				const share = (quota: number) => `${fmtNum((100 * perDay) / quota, 1)} %`;
				return `| ${x.flavor} | ${fmtNum(perDay)} | ${share(25_000)} | ${share(50_000)} | ${share(100_000)} |`;
			}),
			'',
		);
	}

	// ---- callback
	if (r.callback.length) {
		push(
			'## Callback throughput',
			'',
			'The Pardot Event Callback node\'s execute() with a minimal IExecuteFunctions whose helpers.httpRequest is the',
			'harness\'s (n8n-faithful, keep-alive), delivering the trigger\'s own contact events (v4, full raw records) to a',
			'loopback receiver in another process that answers 200 at once. Signed (HMAC), default options (concurrency 4,',
			'envelope payload). All events are contacts, so notifications go one after the other (per-resource order).',
			'',
			'| batch size | events per run | requests per run | ms per run | events/s |',
			'|--:|--:|--:|--:|--:|',
			...r.callback.map(
				(c) =>
					`| ${c.batchSize} | ${fmtNum(c.runs[0].events)} | ${fmtNum(c.runs[0].requests)}${c.runs.some((x) => x.error) ? ` ⚠ ${c.runs.find((x) => x.error)!.error}` : ''} | ${fmtSummary(s(c.runs.map((x) => x.ms)))} | ${fmtSummary(s(c.runs.map((x) => x.eventsPerSecond)))} |`,
			),
			'',
		);
	}

	if (r.notes.length) push('## Problems during this run', '', ...r.notes.map((n) => `- ${n}`), '');
	// What limits the figures that miss a target: hand-written, kept next to the code (bench/NOTES.md).
	const notesFile = path.join(__dirname, 'NOTES.md');
	if (existsSync(notesFile)) push(readFileSync(notesFile, 'utf8').trim(), '');

	push(
		'## Running it',
		'',
		'```',
		`npm run bench                                # everything, 50 ms latency (${fmtNum(r.totalMs / 60_000, 0)} minutes here)`,
		'npm run bench -- --latency 100 --runs 5      # other latency, more runs',
		'npm run bench -- --max-n 10000               # skip the 100,000-change sections',
		'npm run bench -- --only calls,steady --no-write',
		'```',
		'',
		`Sections: ${SECTIONS.join(', ')}.`,
		'',
	);
	return lines.join('\n');
}

/** "3 2×5 4" for [3, 2, 2, 2, 2, 2, 4]. */
function compactRuns(values: number[]): string {
	const out: string[] = [];
	for (let i = 0; i < values.length; ) {
		let j = i;
		while (j < values.length && values[j] === values[i]) j++;
		out.push(j - i > 1 ? `${values[i]}×${j - i}` : String(values[i]));
		i = j;
	}
	return out.join(' ');
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
	const o = parseOptions(process.argv.slice(2));
	const lastRun = path.join(__dirname, '.last-run.json');
	if (process.argv.includes('--report-only')) {
		// Re-renders the last run (e.g. after editing bench/NOTES.md) without measuring again.
		const saved = JSON.parse(readFileSync(lastRun, 'utf8')) as Results;
		saved.options = { ...saved.options, only: new Set(saved.options.only as unknown as string[]) };
		const markdown = report(saved);
		process.stdout.write(`${markdown}\n`);
		if (o.write) writeFileSync(o.out, markdown);
		return;
	}
	const started = performance.now();
	const r: Results = {
		machine: machine(),
		options: o,
		calls: [],
		same: [],
		sameDrain: [],
		big: [],
		backfill: [],
		steady: [],
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
		await section('same', () => sameSection(sim, o, r));
		await section('state', () => stateSection(sim, r));
		await section('callback', () => callbackSection(sim, o, r, keep));
		keep.items = undefined;
		await section('steady', () => steadySection(sim, o, r));
		await section('big', () => bigSection(sim, o, r));
		await section('backfill', () => backfillSection(sim, o, r));
	} finally {
		await sim.close();
	}
	r.totalMs = performance.now() - started;
	r.machine.loadEnd = os.loadavg()[0];
	const markdown = report(r);
	process.stdout.write(`${markdown}\n`);
	if (o.write) {
		writeFileSync(o.out, markdown);
		log(`wrote ${o.out}`);
	}
	writeFileSync(lastRun, JSON.stringify(r, (_k, v) => (v instanceof Set ? [...v] : v), 1));
}

main().catch((error) => {
	log(`bench failed: ${(error as Error)?.stack ?? error}`);
	process.exitCode = 1;
});

