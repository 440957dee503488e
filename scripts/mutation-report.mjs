#!/usr/bin/env node
/**
 * Renders MUTATION.md from the results of StrykerJS runs: the score per file and overall, and every mutant that
 * survived or had no test, each with the explanation kept by hand in mutation/EQUIVALENT.md when it is an
 * equivalent mutant (a change no behaviour can tell apart). A survivor without an explanation is listed as "to kill".
 *
 *   node scripts/mutation-report.mjs [--report reports/mutation/mutation.json[,more.json]] [--seeds 200] [--out MUTATION.md] [--recheck [plan.ts,...]]
 *   node scripts/mutation-report.mjs --results-only [--recheck [files]]   (from mutation/results.json alone, no report)
 *
 * A run's JSON report (reports/mutation/, not committed, lost with the checkout) is reduced to what MUTATION.md
 * needs, per file, and kept in the committed mutation/results.json: the file's SHA-256 as the run saw it, the
 * run's date, Stryker's version, the model test's seeds, the counts, and each mutant not detected. A run over some
 * files replaces those files' results and keeps the others', so the files can be run one at a time, across
 * checkouts. Several reports given at once (runs over parts of one file: `stryker run <config>` with line ranges
 * in `mutate`) are merged mutant by mutant when they saw the same source.
 * --seeds: how many seeds the randomized model test ran with (PARDOT_MODEL_SEEDS; 200 by default).
 * --recheck: applies each survivor of the reports given to its file again (when the file is still as the run saw
 * it) and runs the tests related to the file as they are now (jest --findRelatedTests, quick suites first,
 * stopping at the first failure): a survivor that now fails a test counts as killed since the run. The file is
 * restored after each mutant. With --results-only, the survivors kept in mutation/results.json are re-checked
 * (each kept with its location) for the files whose SHA-256 still matches. A re-check that runs no test fails
 * (before this guard, jest finding no related test counted every survivor as killed). --recheck-tests a.test.ts,b.test.ts runs only those test files instead (the ones
 * changed since the run: every other test let each survivor through in the run already).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
	const i = process.argv.indexOf(`--${name}`);
	const value = i < 0 ? undefined : process.argv[i + 1];
	return value === undefined || value.startsWith('--') ? fallback : value;
};
const resultsOnly = process.argv.includes('--results-only');
const reportPaths = resultsOnly
	? []
	: arg('report', 'reports/mutation/mutation.json')
			.split(',')
			.map((p) => path.resolve(root, p.trim()));
const outPath = path.resolve(root, arg('out', 'MUTATION.md'));
const seeds = Number(arg('seeds', '200'));
const notesPath = path.join(root, 'mutation', 'EQUIVALENT.md');
const resultsPath = path.join(root, 'mutation', 'results.json');
// --lines transport/legacy.ts:95-300: the report's run mutated only those lines of that file (`mutate` with a range).
const lineRanges = Object.fromEntries(
	arg('lines', '')
		.split(',')
		.filter(Boolean)
		.map((spec) => [spec.slice(0, spec.lastIndexOf(':')), spec.slice(spec.lastIndexOf(':') + 1)]),
);
const linesOf = (file) => Object.entries(lineRanges).find(([f]) => file.endsWith(f))?.[1];
const recheck = process.argv.includes('--recheck');
const recheckList = arg('recheck', '');
// --recheck plan.ts,state.ts: only the files whose path contains one of these (all without a list).
const rechecks = (file) => recheck && (!recheckList || recheckList.split(',').some((f) => file.includes(f)));
// --recheck-tests a.test.ts,b.test.ts: run only these test files (the ones changed since the run; every other
// test has already let each survivor through in the run), not every test related to the file.
const recheckTests = arg('recheck-tests', '')
	.split(',')
	.filter(Boolean)
	.map((f) => path.resolve(root, f));

const missing = reportPaths.filter((p) => !existsSync(p));
if (missing.length) {
	console.error(`No mutation report at ${missing.map((p) => path.relative(root, p)).join(', ')}: run \`npm run mutate\` first.`);
	process.exit(1);
}
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const mutantKey = (m) => `${m.mutatorName}@${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column}=${m.replacement ?? ''}`;

/** The reports given, merged: per file, the source the runs saw and its mutants (parts of one file joined). */
const report = { files: {} };
for (const p of reportPaths) {
	const part = JSON.parse(readFileSync(p, 'utf8'));
	const runAt = statSync(p).mtime.toISOString().slice(0, 10);
	report.frameworkVersion ??= part.framework?.version ?? part.frameworkVersion;
	for (const [file, { source, mutants }] of Object.entries(part.files)) {
		const known = report.files[file];
		if (known && known.source === source) {
			const keys = new Set(known.mutants.map(mutantKey));
			known.mutants.push(...mutants.filter((m) => !keys.has(mutantKey(m))));
			if (runAt > known.runAt) known.runAt = runAt;
		} else {
			if (known) console.warn(`${file}: the reports saw different sources; keeping ${path.relative(root, p)}'s.`);
			report.files[file] = { source, mutants: [...mutants], runAt };
		}
	}
}

/**
 * mutation/EQUIVALENT.md: one "### <file> | <mutator> | <original> -> <replacement>" heading per
 * equivalent mutant, then why. Keys avoid line numbers, which move with every edit.
 */
function readNotes() {
	const notes = new Map();
	if (!existsSync(notesPath)) return notes;
	let key;
	for (const line of readFileSync(notesPath, 'utf8').split('\n')) {
		const heading = /^### (.+)$/.exec(line);
		if (heading) {
			key = heading[1].trim();
			notes.set(key, '');
		} else if (/^#{1,2} /.test(line)) key = undefined;
		else if (key) notes.set(key, `${notes.get(key)} ${line.trim()}`.trim());
	}
	return notes;
}

const oneLine = (text) => text.replace(/\s+/g, ' ').trim();
const clip = (text, n = 70) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

function originalOf(source, location) {
	const lines = source.split('\n');
	const { start, end } = location;
	if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
	const first = lines[start.line - 1].slice(start.column - 1);
	const middle = lines.slice(start.line, end.line - 1);
	const last = lines[end.line - 1].slice(0, end.column - 1);
	return [first, ...middle, last].join('\n');
}

/** Replaces a mutant's location in the file's source with its replacement: the mutated file. */
function mutatedSource(source, location, replacement) {
	const lines = source.split('\n');
	const offset = (pos) => lines.slice(0, pos.line - 1).reduce((n, l) => n + l.length + 1, 0) + pos.column - 1;
	return source.slice(0, offset(location.start)) + replacement + source.slice(offset(location.end));
}

/**
 * Whether a mutated file still type-checks against the package's sources (tsconfig.build.json). Runs without
 * Stryker's TypeScript checker (it took most of the CPU) check their survivors here instead: a survivor the
 * compiler rejects is counted as a type error, as the checker would have, not as a survivor.
 */
const ts = require('typescript');
const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.build.json'), { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
let lastProgram;
function typeChecks(file, text) {
	const target = path.join(root, file);
	const host = ts.createCompilerHost(parsed.options);
	const readFile = host.readFile.bind(host);
	const getSourceFile = host.getSourceFile.bind(host);
	host.readFile = (f) => (path.resolve(f) === target ? text : readFile(f));
	host.getSourceFile = (f, v, onError, fresh) => (path.resolve(f) === target ? ts.createSourceFile(f, text, v, true) : getSourceFile(f, v, onError, fresh));
	const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host, oldProgram: lastProgram });
	lastProgram = program;
	const sf = program.getSourceFile(target);
	return sf !== undefined && program.getSyntacticDiagnostics(sf).length === 0 && program.getSemanticDiagnostics(sf).length === 0;
}

/**
 * --recheck: whether the tests as they are now fail with the mutant applied (or run past 10 minutes, which
 * Stryker would count as a timeout, detected). The file is restored whatever happens.
 */
let restoring;
process.on('SIGINT', () => {
	restoring?.();
	process.exit(130);
});
function failsNow(file, source, mutant) {
	const target = path.join(root, file);
	const current = readFileSync(target, 'utf8');
	restoring = () => writeFileSync(target, current);
	try {
		writeFileSync(target, mutatedSource(source, mutant.location, mutant.replacement ?? ''));
		const run = spawnSync(
			process.execPath,
			[
				require.resolve('jest/bin/jest'),
				...(recheckTests.length ? ['--runTestsByPath', ...recheckTests] : ['--findRelatedTests', file, '--testMatch', '**/test/nodes/PardotTrigger/**/*.test.ts']),
				'--testSequencer',
				path.join(root, 'test/lib/mutation-sequencer.js'),
				'--runInBand',
				'--bail',
				'--silent',
			],
			{ cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000, env: { ...process.env, PARDOT_MODEL_FAIL_FAST: '1', PARDOT_MODEL_SEEDS: String(seeds) } },
		);
		// Past the time limit: a timeout, which Stryker counts as detected.
		if (run.error?.code === 'ETIMEDOUT' || run.signal === 'SIGTERM') return true;
		// Killed only by a test that failed (jest's summary, "Tests: 1 failed, ..."): a jest that found no test,
		// or a suite that could not run, kills nothing and stops the re-check.
		const summary = /^Tests:\s+(.*)$/m.exec(run.stderr ?? '')?.[1] ?? '';
		const failed = Number(/(\d+) failed/.exec(summary)?.[1] ?? 0);
		const total = Number(/(\d+) total/.exec(summary)?.[1] ?? 0);
		if (failed > 0) return true;
		if (total === 0 || /Test suite failed to run/.test(run.stderr ?? '')) {
			throw new Error(`The re-check of ${file} ran no test or a suite could not run (jest exited with ${run.status}): check jest's roots and the test list.\n${(run.stderr ?? '').slice(0, 2000)}`);
		}
		return false;
	} finally {
		restoring();
		restoring = undefined;
	}
}

/**
 * Each file of the reports reduced to its result: counts by status, and the mutants not detected (original and
 * replacement as text, so the result can be rendered without the report), each re-checked when asked.
 */
const notes = readNotes();

/**
 * Re-checks a file's survivors (entries as mutation/results.json keeps them) against the tests as they are now,
 * setting `killedSince`. Skipped: those killed at an earlier re-check (a test that fails stays failing while the
 * file is unchanged), and those explained as equivalent. An explanation is matched without a line number: where
 * two survivors of a file share its key, both are re-checked.
 */
function recheckAll(file, source, entries) {
	const keyOf = (e) => `${file} | ${e.mutator} | ${e.original} -> ${e.replacement}`;
	const keyCount = new Map();
	for (const e of entries) keyCount.set(keyOf(e), (keyCount.get(keyOf(e)) ?? 0) + 1);
	for (const e of entries) {
		if (!e.location || e.killedSince || (notes.has(keyOf(e)) && keyCount.get(keyOf(e)) === 1)) continue;
		e.killedSince = failsNow(file, source, { location: e.location, replacement: e.replacementText });
	}
}

const results = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : { files: {} };
const changedFiles = [];
for (const [file, { source, mutants, runAt }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
	const count = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, compileError: 0, runtimeError: 0, ignored: 0 };
	const unchanged = readFileSync(path.join(root, file), 'utf8') === source;
	if (rechecks(file) && !unchanged) changedFiles.push(file);
	const undetected = [];
	for (const m of mutants) {
		if ((m.status === 'Survived' || m.status === 'NoCoverage') && !typeChecks(file, mutatedSource(source, m.location, m.replacement ?? ''))) m.status = 'CompileError';
		const status = { Killed: 'killed', Timeout: 'timeout', Survived: 'survived', NoCoverage: 'noCoverage', CompileError: 'compileError', RuntimeError: 'runtimeError', Ignored: 'ignored' }[m.status];
		if (status) count[status]++;
		if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
		const entry = {
			line: m.location.start.line,
			mutator: m.mutatorName,
			original: oneLine(originalOf(source, m.location)),
			replacement: oneLine(m.replacement ?? ''),
			status: m.status === 'NoCoverage' ? 'noCoverage' : 'survived',
			// Where the mutant applies, with its exact replacement: a later --recheck needs no report.
			location: m.location,
			replacementText: m.replacement ?? '',
		};
		undetected.push(entry);
	}
	if (rechecks(file) && unchanged) recheckAll(file, source, undetected);
	undetected.sort((a, b) => a.line - b.line || a.mutator.localeCompare(b.mutator));
	results.files[file] = {
		sha256: sha256(source),
		...(linesOf(file) ? { lines: linesOf(file) } : {}),
		runAt,
		stryker: report.frameworkVersion,
		seeds,
		...(rechecks(file) && unchanged ? { recheckedAt: new Date().toISOString().slice(0, 10) } : {}),
		count: { detected: count.killed + count.timeout, survived: count.survived, noCoverage: count.noCoverage, compileError: count.compileError },
		undetected,
	};
}
results.files = Object.fromEntries(Object.entries(results.files).sort(([a], [b]) => a.localeCompare(b)));
// --recheck without a report: the kept survivors of files still as their run saw them, from their locations.
if (!reportPaths.length && recheck) {
	for (const [file, result] of Object.entries(results.files)) {
		if (!rechecks(file)) continue;
		const source = readFileSync(path.join(root, file), 'utf8');
		if (sha256(source) !== result.sha256) {
			changedFiles.push(file);
			continue;
		}
		recheckAll(file, source, result.undetected);
		result.recheckedAt = new Date().toISOString().slice(0, 10);
	}
}
if (reportPaths.length || recheck) writeFileSync(resultsPath, `${JSON.stringify(results, null, '\t')}\n`);

const used = new Set();
const rows = [];
const open = [];
const explained = [];
const killedSince = [];
const moved = [];
const totals = { detected: 0, survived: 0, noCoverage: 0, compileError: 0, since: 0 };
const pct = (n, of) => (of ? `${((100 * n) / of).toFixed(1)} %` : '–');

for (const [file, result] of Object.entries(results.files)) {
	const current = existsSync(path.join(root, file)) ? readFileSync(path.join(root, file), 'utf8') : undefined;
	const sameSource = current !== undefined && sha256(current) === result.sha256;
	if (!sameSource) moved.push(file);
	const count = { ...result.count, since: 0 };
	for (const m of result.undetected) {
		const key = `${file} | ${m.mutator} | ${m.original} -> ${m.replacement}`;
		const entry = `\`${file}:${m.line}\` ${m.mutator}: \`${clip(m.original)}\` → \`${clip(m.replacement)}\`${m.status === 'noCoverage' ? ' (no test runs it)' : ''}`;
		if (m.killedSince) {
			count.since++;
			killedSince.push(`- ${entry}`);
		} else if (notes.has(key)) {
			used.add(key);
			explained.push(`- ${entry}: ${notes.get(key)}`);
		} else open.push(`- ${entry}`);
	}
	for (const k of Object.keys(totals)) totals[k] += count[k] ?? 0;
	const { detected } = count;
	const valid = detected + count.survived + count.noCoverage;
	const run = `${result.runAt}, ${result.seeds} seeds${result.recheckedAt ? `; re-checked ${result.recheckedAt}` : ''}${sameSource ? '' : '; **file changed since**'}`;
	const since = result.recheckedAt ? String(count.since) : '– (not re-checked)';
	rows.push(`| ${file}${result.lines ? ` (lines ${result.lines.replace('-', '–')} only)` : ''} | ${run} | ${valid} | ${detected} | ${count.survived} | ${count.noCoverage} | ${count.compileError} | ${pct(detected, valid)} | ${since} | ${pct(detected + count.since, valid)} |`);
}

const { detected } = totals;
const valid = detected + totals.survived + totals.noCoverage;
const equivalent = explained.length;
const score = pct(detected, valid);
const scoreWithoutEquivalent = pct(detected, valid - equivalent);
const scoreNow = pct(detected + totals.since, valid);
const scoreNowWithoutEquivalent = pct(detected + totals.since, valid - equivalent);
// Files the config mutates that no result covers.
const configured = JSON.parse(readFileSync(path.join(root, 'stryker.config.json'), 'utf8')).mutate ?? [];
const notRun = configured
	.filter((f) => !results.files[f] || results.files[f].lines)
	.map((f) => (results.files[f] ? `\`${f}\` outside lines ${results.files[f].lines.replace('-', '–')}` : `\`${f}\``));
const stale = [...notes.keys()].filter((k) => !used.has(k));
const versions = [...new Set(Object.values(results.files).map((r) => r.stryker).filter(Boolean))].join(', ');
const seedCounts = [...new Set(Object.values(results.files).map((r) => r.seeds))];

const out = `# Mutation testing

Generated by \`npm run mutate\` (StrykerJS${versions ? ` ${versions}` : ''}, jest runner, per-test coverage; config
\`stryker.config.json\`) and \`scripts/mutation-report.mjs\`, from the results kept in
[mutation/results.json](mutation/results.json); explanations of equivalent mutants are kept by hand in
[mutation/EQUIVALENT.md](mutation/EQUIVALENT.md). The HTML report is written to \`reports/mutation/\` (not committed).
Not part of \`.ci/run\`: on two cores a run takes hours (read.ts's 358 mutants about an hour), so files can be
run one at a time (\`PARDOT_MODEL_FAIL_FAST=1 npx stryker run --mutate <file>\`, then this script): each run
replaces its files' results and keeps the others'. Mutants are type-checked after the run, survivors only (Stryker's TypeScript checker took most of the
CPU): a survivor the compiler rejects counts as a type error, as the checker would have counted it.

StrykerJS changes the trigger's core one small edit at a time (a \`<\` for a \`<=\`, a condition forced true, a
statement removed, ...) and runs the tests that cover the edit: a mutant the tests let pass is a bug they would
let through. Mutated: ${Object.keys(results.files)
	.map((f) => `\`${f.replace(/^nodes\/PardotTrigger\//, '')}\``)
	.join(', ')} (under \`nodes/PardotTrigger/\`). The tests: every suite under
\`test/nodes/PardotTrigger/\`, the randomized model test among them with ${seedCounts.join(' or ')} seeds (PARDOT_MODEL_SEEDS; 200 by default).
A survivor "killed since the run" was applied again to its file, unchanged since the run, and failed a test
(of those related to the file, or of the test files changed since the run) on the day it was re-checked
(\`--recheck\`).${
	notRun.length ? `\n\n**Not run yet** (in \`stryker.config.json\`, no result kept): ${notRun.join(', ')}.` : ''
}${
	moved.length
		? `\n\n**Changed since their run** (the scores are of the code the run saw): ${moved.map((f) => `\`${f}\``).join(', ')}.`
		: ''
}

## Score

**${score}** of ${valid} mutants detected in the runs (killed or timed out); ${totals.survived} survived, ${totals.noCoverage} ran no
test; ${totals.compileError} did not type-check (not counted). With the tests as they are now: ${totals.since} more are killed,
**${scoreNow}**. Leaving out the ${equivalent} equivalent mutants explained below: **${scoreNowWithoutEquivalent}**
(${scoreWithoutEquivalent} in the runs).${changedFiles.length ? ` Not re-checked, the file having changed since its run: ${changedFiles.map((f) => `\`${f}\``).join(', ')}.` : ''}

| file | run | mutants | detected | survived | no test | type errors | score | killed since the run | score now |
|---|---|--:|--:|--:|--:|--:|--:|--:|--:|
${rows.join('\n')}

## Survivors to kill

${open.length ? open.join('\n') : 'None: every survivor is explained below.'}

## Killed since the run

Survivors of a run that the tests kill when the mutant is applied again:

${killedSince.length ? killedSince.join('\n') : 'None.'}

## Equivalent mutants

Changes no test can tell apart from the code, because no behaviour of the trigger differs:

${explained.length ? explained.join('\n') : 'None.'}
${stale.length ? `\n## Stale explanations\n\nIn mutation/EQUIVALENT.md but matched by no survivor kept (the code moved on):\n\n${stale.map((k) => `- ${k}`).join('\n')}\n` : ''}`;

writeFileSync(outPath, out);
console.log(
	`Wrote ${path.relative(root, outPath)}: ${score} in the runs, ${scoreNow} now (${totals.since} killed since the run), ${scoreNowWithoutEquivalent} without ${equivalent} equivalent; ${open.length} survivor(s) to kill.`,
);
