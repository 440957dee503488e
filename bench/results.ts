/**
 * What one `npm run bench` measures, as run.ts fills it in, saves it (bench/.last-run.json) and
 * report.ts renders it. Types, the section names and the saved file; nothing measured here.
 */
import { readFileSync, writeFileSync } from 'node:fs';

import type { ActionResults } from './action';
import type { CallbackRun } from './callback';
import type { CallsRun, DrainRun } from './calls';
import type { LatencyRun } from './latency';
import type { Combo, Machine } from './lib';
import type { PollJobResult } from './poll-job';
import type { BurstRun, DstRun } from './state';
import type { SteadyRun } from './steady';

/** The sections `--only` picks from, in the order the report lists them. */
export const SECTIONS = ['calls', 'objects', 'same', 'state', 'big', 'backfill', 'steady', 'latency', 'callback', 'action'];

export interface Options {
	latency: number;
	runs: number;
	bigRuns: number;
	maxN: number;
	steadyPolls: number;
	/** Polls of each latency run (--latency-polls). */
	latencyPolls: number;
	only: Set<string>;
	out: string;
	write: boolean;
}

export interface CallsRow {
	combo: Combo;
	n: number;
	label?: string;
	/** Records of other kinds written with the n changes, which the trigger must leave out. */
	noise?: number;
	runs: CallsRun[];
}

export interface BigRow {
	combo: Combo;
	n: number;
	runs: Array<PollJobResult & { bareMs: number; simData: number; simLogins: number }>;
}

export interface BackfillRow {
	combo: Combo;
	n: number;
	maxEventsPerPoll: number;
	run?: DrainRun;
	/** Not run: what it would cost, computed from the measured idle poll. */
	computed?: { polls: number; calls: number; why: string };
}

export interface DrainRow {
	combo: Combo;
	n: number;
	maxEventsPerPoll: number;
	/** Records of other kinds written with the n, which the trigger must leave out. */
	noise?: number;
	run: DrainRun;
}

export interface Results {
	machine: Machine;
	options: Options;
	calls: CallsRow[];
	/** The calls section for the objects beyond contacts and leads. */
	objects: CallsRow[];
	/** Visitor activities with Activity Types drained at the default Max Events Per Poll. */
	objectsDrain: DrainRow[];
	same: CallsRow[];
	sameDrain: DrainRow[];
	big: BigRow[];
	backfill: BackfillRow[];
	steady: SteadyRun[];
	/** From a change to its event, with late-visible writes: v4 and v5, the trigger before and after. */
	latency: LatencyRun[];
	bursts: BurstRun[];
	dst: DstRun[];
	callback: Array<{ batchSize: number; runs: CallbackRun[] }>;
	notes: string[];
	/** The action node's section (bench/action.ts), when it ran. */
	action?: ActionResults;
	totalMs: number;
}

/** Saves a run as JSON (`only` as a list). */
export function saveResults(file: string, r: Results): void {
	writeFileSync(file, JSON.stringify(r, (_k, v) => (v instanceof Set ? [...v] : v), 1));
}

/** Reads a run saveResults wrote. */
export function loadResults(file: string): Results {
	const saved = JSON.parse(readFileSync(file, 'utf8')) as Results;
	saved.options = { ...saved.options, only: new Set(saved.options.only as unknown as string[]) };
	saved.objects = saved.objects ?? [];
	saved.objectsDrain = saved.objectsDrain ?? [];
	saved.latency = saved.latency ?? [];
	return saved;
}
