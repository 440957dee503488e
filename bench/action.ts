/**
 * The Pardot action node's section of `npm run bench`: items per second for Create and Upsert by Email one item at
 * a time (at the node's concurrency, and at 1 for comparison), and the calls one Import of 10,000 prospects makes
 * against the minimum: ceil(10,000 / rows per batch) uploads + create + submit + status looks. The node runs in
 * n8n-core's ExecuteContext (test/lib/action.ts) against the simulator in its own process, every API request
 * answered after the bench's latency.
 */
import { readFileSync, writeFileSync } from 'node:fs';

import { DEFAULT_CONCURRENCY } from '../nodes/Pardot/api/client';
import { runAction } from '../test/lib/action';
import type { Flavor } from '../test/lib/pardot';
import { fmtNum, forgetSessions, summarize } from './lib';
import type { RemoteSim } from './remote';

export interface ThroughputRow {
	operation: 'create' | 'upsert';
	flavor: Flavor;
	concurrency: number;
	items: number;
	/** items per second, one per run */
	perSecond: number[];
	/** Pardot API requests per item (logins and tokens left out) */
	callsPerItem: number;
}

export interface ImportRow {
	items: number;
	batchRows: number;
	calls: Record<string, number>;
	total: number;
	minimum: number;
	ms: number;
	imported: number;
}

export interface ActionResults {
	latency: number;
	throughput: ThroughputRow[];
	imports: ImportRow[];
}

const ITEMS = 300;
const IMPORT_ITEMS = 10_000;
const BATCH_ROWS = 5000;

const dataCalls = (byEndpoint: Record<string, number>) =>
	Object.entries(byEndpoint)
		.filter(([k]) => k !== 'login' && k !== 'oauth.token')
		.reduce((sum, [, n]) => sum + n, 0);

async function throughput(sim: RemoteSim, operation: 'create' | 'upsert', flavor: Flavor, concurrency: number, runs: number): Promise<ThroughputRow> {
	const row: ThroughputRow = { operation, flavor, concurrency, items: ITEMS, perSecond: [], callsPerItem: 0 };
	for (let run = 0; run < runs; run++) {
		await sim.reset();
		forgetSessions();
		// The login or token before the timed run.
		await runAction(sim, { flavor, parameters: { resource: 'list', operation: 'getMany', limit: 1 } });
		await sim.resetStats();
		const items = Array.from({ length: ITEMS }, (_, n) => ({ email: `bench${run}-${n}@example.com` }));
		const result = await runAction(sim, { flavor, parameters: { resource: 'prospect', operation, email: '={{ $json.email }}' }, items, options: { concurrency } });
		if (result.error) throw result.error;
		row.perSecond.push((ITEMS * 1000) / result.durationMs);
		row.callsPerItem = dataCalls((await sim.stats()).byEndpoint) / ITEMS;
	}
	return row;
}

async function importRun(sim: RemoteSim): Promise<ImportRow> {
	await sim.reset();
	forgetSessions();
	await sim.configure({ importWaitMs: 1000, importProcessingMs: 5000 });
	await runAction(sim, { flavor: 'oauth-v5', parameters: { resource: 'list', operation: 'getMany', limit: 1 } });
	await sim.resetStats();
	const items = Array.from({ length: IMPORT_ITEMS }, (_, n) => ({ email: `import${n}@example.com`, first: `P${n}` }));
	const result = await runAction(sim, {
		flavor: 'oauth-v5',
		parameters: { resource: 'prospect', operation: 'import', email: '={{ $json.email }}', additionalFields: { firstName: '={{ $json.first }}' }, importOptions: { batchRows: BATCH_ROWS } },
		items,
		// The node's own status polling: 2 s, doubling up to 30 s.
		options: { importPollMs: 2000, importPollMaxMs: 30_000 },
	});
	if (result.error) throw result.error;
	const stats = (await sim.stats()).byEndpoint;
	const calls = Object.fromEntries(Object.entries(stats).filter(([k, n]) => k.startsWith('v5.imports') && n > 0));
	const looks = calls['v5.imports.read'] ?? 0;
	return {
		items: IMPORT_ITEMS,
		batchRows: BATCH_ROWS,
		calls,
		total: dataCalls(stats),
		minimum: Math.ceil(IMPORT_ITEMS / BATCH_ROWS) + 2 + looks,
		ms: result.durationMs,
		imported: result.output!.filter((o) => o.json.imported === true).length,
	};
}

export async function runActionBench(sim: RemoteSim, latency: number, runs: number, log: (m: string) => void): Promise<ActionResults> {
	const out: ActionResults = { latency, throughput: [], imports: [] };
	for (const [operation, flavor] of [['create', 'oauth-v5'], ['upsert', 'oauth-v5'], ['create', 'legacy-v4'], ['upsert', 'legacy-v4']] as const) {
		for (const concurrency of [1, DEFAULT_CONCURRENCY]) {
			const row = await throughput(sim, operation, flavor, concurrency, runs);
			log(`action ${operation} ${flavor} concurrency ${concurrency}: ${fmtNum(summarize(row.perSecond).median, 1)} items/s`);
			out.throughput.push(row);
		}
	}
	const imported = await importRun(sim);
	log(`action import: ${imported.total} calls (minimum ${imported.minimum}), ${fmtNum(imported.ms / 1000, 1)} s`);
	out.imports.push(imported);
	await sim.configure({ importWaitMs: 0, importProcessingMs: 0 });
	return out;
}

export const ACTION_HEADING = '## Pardot (action node): items per second, calls per 10,000 imports';

export function renderAction(r: ActionResults): string {
	const ops = { create: 'Create', upsert: 'Upsert by Email' };
	const fam = (f: Flavor) => (f === 'oauth-v5' ? 'v5' : 'v4');
	const lines = [
		ACTION_HEADING,
		'',
		`The action node in n8n-core's ExecuteContext (test/lib/action.ts) against the simulator, every API request answered after`,
		`${r.latency} ms. ${ITEMS} items per run, median of the runs (min–max). **calls / item**: Pardot API requests per item,`,
		'logins and tokens left out (v4 Upsert by Email reads by email first: v4 `upsert/email` always creates). Pardot allows 5',
		`concurrent requests per user, shared with every integration; the node works on ${DEFAULT_CONCURRENCY} items at once.`,
		'',
		'| operation | API | concurrency | items/s | calls / item |',
		'|---|---|--:|--:|--:|',
		...r.throughput.map((t) => {
			const s = summarize(t.perSecond);
			return `| ${ops[t.operation]} | ${fam(t.flavor)} | ${t.concurrency} | ${fmtNum(s.median, 1)} (${fmtNum(s.min, 1)}–${fmtNum(s.max, 1)}) | ${fmtNum(t.callsPerItem, 2)} |`;
		}),
		'',
		`Prospect → Import of ${fmtNum(IMPORT_ITEMS)} items (API v5; the simulator's import waits 1 s, then processes for 5 s; the node`,
		'looks at the status after 2 s, doubling). **minimum**: ceil(items / rows per batch) uploads + create + submit + the',
		'status looks Pardot needed before it was Complete.',
		'',
		'| items | rows per batch | create | batches | submit | status looks | errors file | all calls | minimum | imported | time |',
		'|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
		...r.imports.map((i) => {
			const c = (k: string) => fmtNum(i.calls[`v5.imports.${k}`] ?? 0);
			return `| ${fmtNum(i.items)} | ${fmtNum(i.batchRows)} | ${c('create')} | ${c('batches')} | ${c('update')} | ${c('read')} | ${c('errors')} | ${fmtNum(i.total)} | ${fmtNum(i.minimum)} | ${fmtNum(i.imported)} | ${fmtNum(i.ms / 1000, 1)} s |`;
		}),
		'',
	];
	return lines.join('\n');
}

/** Puts the action node's section into an existing BENCHMARKS.md (replacing an older one), the rest untouched. */
export function spliceAction(file: string, section: string): void {
	const page = readFileSync(file, 'utf8');
	const start = page.indexOf(ACTION_HEADING);
	if (start >= 0) {
		const next = page.indexOf('\n## ', start + ACTION_HEADING.length);
		writeFileSync(file, page.slice(0, start) + section + (next >= 0 ? page.slice(next + 1) : ''));
		return;
	}
	const before = page.indexOf('\n## What limits the figures');
	const at = before >= 0 ? before + 1 : page.length;
	writeFileSync(file, `${page.slice(0, at)}${section}\n${page.slice(at)}`);
}
