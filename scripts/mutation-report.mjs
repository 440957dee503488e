#!/usr/bin/env node
/**
 * Renders MUTATION.md from StrykerJS's JSON report (reports/mutation/mutation.json, written by
 * `npm run mutate`): the score per file and overall, and every mutant that survived or had no test,
 * each with the explanation kept by hand in mutation/EQUIVALENT.md when it is an equivalent mutant
 * (a change no behaviour can tell apart). A survivor without an explanation is listed as "to kill".
 *
 *   node scripts/mutation-report.mjs [--report reports/mutation/mutation.json[,more.json]] [--seeds 200] [--out MUTATION.md]
 *
 * Several reports (runs over parts of the files, `stryker run <config> --mutate ...`) are merged file by file.
 * --seeds: how many seeds the randomized model test ran with (PARDOT_MODEL_SEEDS; 200 by default).
 */
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

const missing = reportPaths.filter((p) => !existsSync(p));
if (missing.length) {
	console.error(`No mutation report at ${missing.map((p) => path.relative(root, p)).join(', ')}: run \`npm run mutate\` first.`);
	process.exit(1);
}
const report = { files: {} };
for (const p of reportPaths) {
	const part = JSON.parse(readFileSync(p, 'utf8'));
	report.frameworkVersion ??= part.frameworkVersion;
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

const notes = readNotes();
const used = new Set();
const rows = [];
const open = [];
const explained = [];
let totals = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, compileError: 0, runtimeError: 0, ignored: 0 };

for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
	const count = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, compileError: 0, runtimeError: 0, ignored: 0 };
	for (const m of mutants) {
		if ((m.status === 'Survived' || m.status === 'NoCoverage') && !typeChecks(file, mutatedSource(source, m.location, m.replacement ?? ''))) m.status = 'CompileError';
		const status = { Killed: 'killed', Timeout: 'timeout', Survived: 'survived', NoCoverage: 'noCoverage', CompileError: 'compileError', RuntimeError: 'runtimeError', Ignored: 'ignored' }[m.status];
		if (status) count[status]++;
		if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
		const original = oneLine(originalOf(source, m.location));
		const key = `${file} | ${m.mutatorName} | ${original} -> ${oneLine(m.replacement ?? '')}`;
		const entry = `\`${file}:${m.location.start.line}\` ${m.mutatorName}: \`${clip(original)}\` → \`${clip(oneLine(m.replacement ?? ''))}\`${m.status === 'NoCoverage' ? ' (no test runs it)' : ''}`;
		if (notes.has(key)) {
			used.add(key);
			explained.push(`- ${entry}: ${notes.get(key)}`);
		} else open.push(`- ${entry}`);
	}
	for (const k of Object.keys(totals)) totals[k] += count[k];
	const detected = count.killed + count.timeout;
	const valid = detected + count.survived + count.noCoverage;
	rows.push(`| ${file} | ${valid} | ${detected} | ${count.survived} | ${count.noCoverage} | ${count.compileError} | ${valid ? ((100 * detected) / valid).toFixed(1) : '–'} % |`);
}

const detected = totals.killed + totals.timeout;
const valid = detected + totals.survived + totals.noCoverage;
const equivalent = explained.length;
const score = (100 * detected) / valid;
const scoreWithoutEquivalent = (100 * detected) / (valid - equivalent);
const stale = [...notes.keys()].filter((k) => !used.has(k));

const out = `# Mutation testing

Generated by \`npm run mutate\` (StrykerJS ${report.frameworkVersion ?? ''}, jest runner, per-test coverage; config
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
\`test/nodes/PardotTrigger/\`, the randomized model test among them with ${seeds} seeds${seeds === 200 ? ' (its default)' : ' (PARDOT_MODEL_SEEDS; 200 by default)'}.

## Score

**${score.toFixed(1)} %** of ${valid} mutants detected (killed or timed out); ${totals.survived} survived, ${totals.noCoverage} ran no
test; ${totals.compileError} did not type-check (not counted). Leaving out the ${equivalent} equivalent mutants explained
below: **${scoreWithoutEquivalent.toFixed(1)} %**.

| file | mutants | detected | survived | no test | type errors | score |
|---|--:|--:|--:|--:|--:|--:|
${rows.join('\n')}

## Survivors to kill

${open.length ? open.join('\n') : 'None: every survivor is explained below.'}

## Equivalent mutants

Changes no test can tell apart from the code, because no behaviour of the trigger differs:

${explained.length ? explained.join('\n') : 'None.'}
${stale.length ? `\n## Stale explanations\n\nIn mutation/EQUIVALENT.md but matched by no survivor of this run (the code moved on):\n\n${stale.map((k) => `- ${k}`).join('\n')}\n` : ''}`;

writeFileSync(outPath, out);
console.log(`Wrote ${path.relative(root, outPath)}: ${score.toFixed(1)} % (${scoreWithoutEquivalent.toFixed(1)} % without ${equivalent} equivalent), ${open.length} survivor(s) to kill.`);
