/**
 * The e2e suite's own small test vocabulary: named checks with PASS/FAIL lines as they happen, `assert`, and the
 * summary that ends every run with one `N passed, N failed` line over all n8n lines.
 */

export interface Result {
	line: string;
	name: string;
	ok: boolean;
	ms: number;
	error?: string;
}

const results: Result[] = [];
const t0 = Date.now();

function stamp() {
	return `${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s`;
}

export function say(msg: string) {
	process.stdout.write(`${stamp()} ${msg}\n`);
}

export function indent(s: string) {
	return s
		.split('\n')
		.map((l) => `        ${l}`)
		.join('\n');
}

export function assert(cond: unknown, msg: string): asserts cond {
	if (!cond) throw new Error(msg);
}

export type Log = (msg: string) => void;

/** Runs one named check of a line; never throws; returns whether it passed. */
export async function test(line: string, name: string, fn: (log: Log) => Promise<void>): Promise<boolean> {
	const start = Date.now();
	const log = (m: string) => say(`[${line}] ${name}: ${m}`);
	log('started');
	try {
		await fn(log);
		const ms = Date.now() - start;
		results.push({ line, name, ok: true, ms });
		say(`[${line}] PASS ${name} (${(ms / 1000).toFixed(1)} s)`);
		return true;
	} catch (e) {
		const ms = Date.now() - start;
		const error = (e as Error).stack ?? String(e);
		results.push({ line, name, ok: false, ms, error: (e as Error).message });
		say(`[${line}] FAIL ${name} (${(ms / 1000).toFixed(1)} s)\n${indent(error)}`);
		return false;
	}
}

/** A failure outside a named check (a crashed line, the runner itself). */
export function fail(line: string, name: string, error: string, ms = 0) {
	results.push({ line, name, ok: false, ms, error });
}

export function failedIn(line: string) {
	return results.some((r) => r.line === line && !r.ok);
}

/** Wall time of each line, printed in the summary. */
const lineTimes: Array<{ line: string; ms: number }> = [];
export function recordLineTime(line: string, ms: number) {
	lineTimes.push({ line, ms });
}

let finished = false;
/** Prints the summary and exits: non-zero on any failure or when nothing ran. */
export function finish(code?: number): never {
	if (!finished) {
		finished = true;
		const passed = results.filter((r) => r.ok).length;
		const failed = results.filter((r) => !r.ok).length;
		process.stdout.write('\n== e2e summary\n');
		for (const r of results)
			process.stdout.write(`${r.ok ? 'PASS' : 'FAIL'} [${r.line}] ${r.name} (${(r.ms / 1000).toFixed(1)} s)${r.ok ? '' : `: ${r.error?.split('\n')[0]}`}\n`);
		for (const t of lineTimes) process.stdout.write(`line ${t.line}: ${(t.ms / 1000).toFixed(0)} s\n`);
		process.stdout.write(`total ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
		process.stdout.write(`${passed} passed, ${failed} failed\n`);
		code = code ?? (failed > 0 || passed === 0 ? 1 : 0);
	}
	process.exit(code ?? 1);
}
