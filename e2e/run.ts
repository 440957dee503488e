/**
 * End-to-end proof in a real n8n. Plain Node script:
 *
 *   npm run test:e2e                     # every line: n8n 2.x on Node 24, n8n 1.x on Node 20, n8n 2.x in queue mode
 *   npm run test:e2e -- --line 2         # one line (2, 1 or queue; a comma list works too); also E2E_LINES=2
 *   npm run test:e2e -- --no-build       # use the dist/ that is there
 *   npm run test:e2e -- --only hostile   # in the single-process lines, only these scenario groups (a comma list:
 *                                        # polling, retries, redelivery, migrate, objects, hostile) after start-up
 *
 * Builds and packs the package once, installs n8n into .e2e/ (reused when present; N8N_E2E_HOME moves it),
 * installs the tarball into each n8n process's user folder as n8n's community-package installer does, starts n8n
 * on 127.0.0.1 beside one in-process Pardot simulator per scenario and a callback receiver, creates credentials
 * and workflows through n8n's REST API as an administrator would, and watches the receiver. Scenarios live in
 * e2e/scenarios/ (one file per group); this file only runs the lines. Prints `N passed, N failed` last, summed
 * over all lines; exits non-zero on any failure; kills every process group it started, also on Ctrl-C and errors.
 */
import * as fs from 'node:fs';
import { type Flow } from './lib/flow';
import { REPO_ROOT, versions } from './lib/install';
import { N8n } from './lib/n8n';
import { packPackage, removeTarball, type Tarball } from './lib/package';
import { installCleanup, runToEnd, stopAll } from './lib/procs';
import { fail, failedIn, finish, recordLineTime, say } from './lib/report';
import { startSink } from './lib/sink';
import { action } from './scenarios/action';
import { hostile } from './scenarios/hostile';
import { migrateGroup } from './scenarios/migrate';
import { objects } from './scenarios/objects';
import { polling } from './scenarios/polling';
import { queueLine } from './scenarios/queue';
import { redelivery } from './scenarios/redelivery';
import { retries } from './scenarios/retries';
import { examplesImport, installN8n, nodeList, startWithPackage } from './scenarios/startup';

const LINE_BUDGET_MS = Number(process.env.E2E_LINE_BUDGET_MIN || 20) * 60_000;
const ALL_LINES = ['2', '1', 'queue'];

/** A watchdog per line: a hung line ends the run with a failure instead of eating CI's time. */
function budget(label: string) {
	const timer = setTimeout(() => {
		say(`[${label}] the line ran over its ${LINE_BUDGET_MS / 60000} min budget: stopping everything`);
		fail(label, 'time budget', 'ran over budget', LINE_BUDGET_MS);
		finish(1);
	}, LINE_BUDGET_MS);
	return () => clearTimeout(timer);
}

/** One n8n process with SQLite, as most people run it. */
async function singleLine(line: string, tarball: Tarball) {
	const spec = versions.lines[line];
	const label = `n8n ${spec.n8n}`;
	const install = await installN8n(label, line);
	if (!install) return;
	const stopBudget = budget(label);
	const sink = await startSink();
	const n8n = new N8n({ install, log: (m) => say(`[${label}] ${m}`) });
	const flows: Flow[] = [];
	let keepFolder = false;
	try {
		const ctx = await startWithPackage(label, n8n, sink, tarball, { line });
		if (!ctx) {
			keepFolder = true;
			return;
		}
		await nodeList(ctx);
		await examplesImport(ctx);
		const only = onlyGroups();
		const run = (group: string) => !only || only.includes(group);
		const poll = run('polling') ? polling(ctx, flows) : { parallel: [], afterwards: async () => {} };
		await Promise.all([
			...poll.parallel,
			...(run('retries') ? retries(ctx, flows) : []),
			...(run('redelivery') ? redelivery(ctx, flows) : []),
			...(run('migrate') ? migrateGroup(ctx, flows) : []),
			...(run('objects') ? objects(ctx, flows) : []),
			...(run('hostile') ? hostile(ctx) : []),
			...(run('action') ? action(ctx, flows) : []),
		]);
		await poll.afterwards();
	} catch (e) {
		fail(label, 'suite', (e as Error).message);
		say(`[${label}] suite error: ${(e as Error).stack}`);
	} finally {
		if (failedIn(label)) keepFolder = true;
		if (keepFolder) say(`[${label}] ${n8n.tail(60)}`);
		await n8n.stop().catch(() => {});
		await Promise.all(flows.map((f) => f.close()));
		await sink.close();
		stopBudget();
		if (keepFolder) say(`[${label}] kept the n8n user folder for inspection: ${n8n.userFolder}`);
		else fs.rmSync(n8n.userFolder, { recursive: true, force: true });
	}
}

const GROUPS = ['polling', 'retries', 'redelivery', 'migrate', 'objects', 'hostile', 'action'];

/** `--only <groups>`: the scenario groups to run in the single-process lines (all when absent). */
function onlyGroups(): string[] | undefined {
	const args = process.argv.slice(2);
	if (!args.includes('--only')) return undefined;
	const groups = String(args[args.indexOf('--only') + 1] ?? '').split(',').map((g) => g.trim()).filter(Boolean);
	const unknown = groups.filter((g) => !GROUPS.includes(g));
	if (!groups.length || unknown.length) throw new Error(`--only takes scenario groups among ${GROUPS.join(', ')}; got ${groups.join(', ') || 'none'}`);
	return groups;
}

async function main() {
	installCleanup((sig) => say(`got ${sig}: stopping every process this run started`));
	const args = process.argv.slice(2);
	const lineArg = args.includes('--line') ? args[args.indexOf('--line') + 1] : process.env.E2E_LINES;
	const lines = (lineArg && lineArg !== 'all' ? lineArg.split(',') : ALL_LINES).map((s) => s.trim());
	onlyGroups();
	const unknown = lines.filter((l) => l !== 'queue' && !versions.lines[l]);
	if (unknown.length) throw new Error(`unknown line(s) ${unknown.join(', ')}; known: ${ALL_LINES.join(', ')}`);
	if (!args.includes('--no-build')) {
		say('building the package (npm run build)');
		const r = await runToEnd('npm run build', 'npm', ['run', 'build'], { cwd: REPO_ROOT, timeoutMs: 300_000 });
		if (r.code !== 0) {
			fail('build', 'npm run build', r.output.slice(-2000));
			say(r.output.slice(-3000));
			return finish();
		}
	}
	const tarball = await packPackage();
	say(`packed ${tarball.describe}: every line installs this tarball`);
	for (const line of lines) {
		const t = Date.now();
		if (line === 'queue') await queueLine(tarball, budget);
		else await singleLine(line, tarball);
		const label = line === 'queue' ? 'queue' : `n8n ${versions.lines[line].n8n}`;
		recordLineTime(label, Date.now() - t);
		say(`[${label}] line done in ${((Date.now() - t) / 1000).toFixed(0)} s`);
	}
	await stopAll();
	removeTarball(tarball);
	finish();
}

main().catch((e) => {
	say(`runner error: ${(e as Error).stack}`);
	fail('runner', 'runner', (e as Error).message);
	finish(1);
});
