#!/usr/bin/env node
/**
 * Renders MUTATION.md from StrykerJS's JSON report (reports/mutation/mutation.json, written by
 * `npm run mutate`): the score per file and overall, and every mutant that survived or had no test,
 * each with the explanation kept by hand in mutation/EQUIVALENT.md when it is an equivalent mutant
 * (a change no behaviour can tell apart). A survivor without an explanation is listed as "to kill".
 *
 *   node scripts/mutation-report.mjs [--report reports/mutation/mutation.json[,more.json]] [--seeds 200] [--out MUTATION.md] [--recheck [plan.ts,...]]
 *
 * Several reports (runs over parts of the files, `stryker run <config> --mutate ...`) are merged file by file.
 * --seeds: how many seeds the randomized model test ran with (PARDOT_MODEL_SEEDS; 200 by default).
 * --recheck: applies each survivor to its file again (when the file is still as the run saw it) and runs the
 * tests related to the file as they are now (jest --findRelatedTests, quick suites first, stopping at the first failure): a survivor
 * that now fails a test counts as killed since the run. The file is restored after each mutant.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
	const i = process.argv.indexOf(`--${name}`);
	return i < 0 ? fallback : process.argv[i + 1];
};
const reportPaths = arg('report', 'reports/mutation/mutation.json')
	.split(',')
	.map((p) => path.resolve(root, p.trim()));
const outPath = path.resolve(root, arg('out', 'MUTATION.md'));
const seeds = Number(arg('seeds', '200'));
const notesPath = path.join(root, 'mutation', 'EQUIVALENT.md');
const recheckArg = process.argv.includes('--recheck') ? (arg('recheck', '') ?? '') : undefined;
const recheck = recheckArg !== undefined;
// --recheck plan.ts,state.ts: only the files whose path contains one of these (all without a list).
const rechecks = (file) => recheck && (!recheckArg || recheckArg.startsWith('--') || recheckArg.split(',').some((f) => file.includes(f)));

const missing = reportPaths.filter((p) => !existsSync(p));
if (missing.length) {
	console.error(`No mutation report at ${missing.map((p) => path.relative(root, p)).join(', ')}: run \`npm run mutate\` first.`);
	process.exit(1);
}
const report = { files: {} };
for (const p of reportPaths) {
	const part = JSON.parse(readFileSync(p, 'utf8'));
	report.frameworkVersion ??= part.framework?.version ?? part.frameworkVersion;
	Object.assign(report.files, part.files);
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
		} else if (key) notes.set(key, `${notes.get(key)} ${line.trim()}`.trim());
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
			[require.resolve('jest/bin/jest'), '--findRelatedTests', file, '--testMatch', '**/test/nodes/PardotTrigger/**/*.test.ts', '--testSequencer', path.join(root, 'test/lib/mutation-sequencer.js'), '--runInBand', '--bail', '--silent'],
			{ cwd: root, stdio: 'ignore', timeout: 10 * 60_000, env: { ...process.env, PARDOT_MODEL_FAIL_FAST: '1', PARDOT_MODEL_SEEDS: String(seeds) } },
		);
		return run.status !== 0;
	} finally {
		restoring();
		restoring = undefined;
	}
}

const notes = readNotes();
const used = new Set();
const rows = [];
const open = [];
const explained = [];
const killedSince = [];
const changedFiles = [];
let totals = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, compileError: 0, runtimeError: 0, ignored: 0, since: 0 };

for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
	const count = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, compileError: 0, runtimeError: 0, ignored: 0, since: 0 };
	const unchanged = readFileSync(path.join(root, file), 'utf8') === source;
	if (rechecks(file) && !unchanged) changedFiles.push(file);
	for (const m of mutants) {
		if ((m.status === 'Survived' || m.status === 'NoCoverage') && !typeChecks(file, mutatedSource(source, m.location, m.replacement ?? ''))) m.status = 'CompileError';
		const status = { Killed: 'killed', Timeout: 'timeout', Survived: 'survived', NoCoverage: 'noCoverage', CompileError: 'compileError', RuntimeError: 'runtimeError', Ignored: 'ignored' }[m.status];
		if (status) count[status]++;
		if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
		const original = oneLine(originalOf(source, m.location));
		const key = `${file} | ${m.mutatorName} | ${original} -> ${oneLine(m.replacement ?? '')}`;
		const entry = `\`${file}:${m.location.start.line}\` ${m.mutatorName}: \`${clip(original)}\` → \`${clip(oneLine(m.replacement ?? ''))}\`${m.status === 'NoCoverage' ? ' (no test runs it)' : ''}`;
		if (rechecks(file) && unchanged && !notes.has(key) && failsNow(file, source, m)) {
			count.since++;
			killedSince.push(`- ${entry}`);
		} else if (notes.has(key)) {
			used.add(key);
			explained.push(`- ${entry}: ${notes.get(key)}`);
		} else open.push(`- ${entry}`);
	}
	for (const k of Object.keys(totals)) totals[k] += count[k];
	const detected = count.killed + count.timeout;
	const valid = detected + count.survived + count.noCoverage;
	const pct = (n) => (valid ? `${((100 * n) / valid).toFixed(1)} %` : '–');
	rows.push(
		`| ${file} | ${valid} | ${detected} | ${count.survived} | ${count.noCoverage} | ${count.compileError} | ${pct(detected)} |${recheck ? ` ${!rechecks(file) ? '– (not re-checked)' : unchanged ? count.since : 'changed since the run'} | ${unchanged || !rechecks(file) ? pct(detected + count.since) : '–'} |` : ''}`,
	);
}

const detected = totals.killed + totals.timeout;
const valid = detected + totals.survived + totals.noCoverage;
const equivalent = explained.length;
const score = (100 * detected) / valid;
const scoreWithoutEquivalent = (100 * detected) / (valid - equivalent);
const scoreNow = (100 * (detected + totals.since)) / valid;
const scoreNowWithoutEquivalent = (100 * (detected + totals.since)) / (valid - equivalent);
// Files the config mutates that no report given here covers.
const configured = JSON.parse(readFileSync(path.join(root, 'stryker.config.json'), 'utf8')).mutate ?? [];
const notRun = configured.filter((f) => !report.files[f]);
const stale = [...notes.keys()].filter((k) => !used.has(k));

const out = `# Mutation testing

Generated by \`npm run mutate\` (StrykerJS${report.frameworkVersion ? ` ${report.frameworkVersion}` : ''}, jest runner, per-test coverage; config
\`stryker.config.json\`) and \`scripts/mutation-report.mjs\`; explanations of equivalent mutants are kept by hand in
[mutation/EQUIVALENT.md](mutation/EQUIVALENT.md). The HTML report is written to \`reports/mutation/\` (not committed).
Not part of \`.ci/run\`: on two cores a run takes hours (plan.ts's 189 mutants about 40 minutes), so it can be run
file by file (\`stryker run\` with its own \`mutate\`, the parts merged here with \`--report a.json,b.json\`).
Mutants are type-checked after the run, survivors only (Stryker's TypeScript checker took most of the CPU): a
survivor the compiler rejects counts as a type error, as the checker would have counted it.

StrykerJS changes the trigger's core one small edit at a time (a \`<\` for a \`<=\`, a condition forced true, a
statement removed, ...) and runs the tests that cover the edit: a mutant the tests let pass is a bug they would
let through. Mutated: ${Object.keys(report.files)
	.sort()
	.map((f) => `\`${f.replace(/^nodes\/PardotTrigger\//, '')}\``)
	.join(', ')} (under \`nodes/PardotTrigger/\`). The tests: every suite under
\`test/nodes/PardotTrigger/\`, the randomized model test among them with ${seeds} seeds${seeds === 200 ? ' (its default)' : ' (PARDOT_MODEL_SEEDS; 200 by default)'}.${
	notRun.length ? `\n\n**Not in this report yet** (in \`stryker.config.json\`, no run merged here): ${notRun.map((f) => `\`${f}\``).join(', ')}.` : ''
}

## Score

**${score.toFixed(1)} %** of ${valid} mutants detected (killed or timed out); ${totals.survived} survived, ${totals.noCoverage} ran no
test; ${totals.compileError} did not type-check (not counted). Leaving out the ${equivalent} equivalent mutants explained
below: **${scoreWithoutEquivalent.toFixed(1)} %**.${
	recheck
		? ` Re-checked against the tests as they are now (\`--recheck\`: each survivor applied again, the related tests run):
${totals.since} more are killed, **${scoreNow.toFixed(1)} %** (**${scoreNowWithoutEquivalent.toFixed(1)} %** without the equivalent ones)${changedFiles.length ? `; not re-checked, the file having changed since its run: ${changedFiles.map((f) => `\`${f}\``).join(', ')}` : ''}.`
		: ''
}

| file | mutants | detected | survived | no test | type errors | score |${recheck ? ' killed since the run | score now |' : ''}
|---|--:|--:|--:|--:|--:|--:|${recheck ? '--:|--:|' : ''}
${rows.join('\n')}

## Survivors to kill

${open.length ? open.join('\n') : 'None: every survivor is explained below.'}
${recheck ? `\n## Killed since the run\n\nSurvivors of the run that the tests as they are now kill (re-checked):\n\n${killedSince.length ? killedSince.join('\n') : 'None.'}\n` : ''}
## Equivalent mutants

Changes no test can tell apart from the code, because no behaviour of the trigger differs:

${explained.length ? explained.join('\n') : 'None.'}
${stale.length ? `\n## Stale explanations\n\nIn mutation/EQUIVALENT.md but matched by no survivor of this run (the code moved on):\n\n${stale.map((k) => `- ${k}`).join('\n')}\n` : ''}`;

writeFileSync(outPath, out);
console.log(
	`Wrote ${path.relative(root, outPath)}: ${score.toFixed(1)} % (${scoreWithoutEquivalent.toFixed(1)} % without ${equivalent} equivalent)${recheck ? `, ${scoreNow.toFixed(1)} % now (${totals.since} killed since the run)` : ''}, ${open.length} survivor(s) to kill.`,
);
