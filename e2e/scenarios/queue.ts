/**
 * The queue-mode line: n8n as it runs when one process is not enough. EXECUTIONS_MODE=queue, one PostgreSQL that
 * every process shares, Redis between them, one main process (runs the triggers and pollers, puts executions on the
 * queue) and two `n8n worker` processes (run the executions). Each process has its own user folder with the package
 * installed from the tarball, as separate machines or containers would, and the same encryption key.
 *
 * Shown here:
 * - the changes of every resource reach the receiver once each at a real scheduled poll, executed on workers
 *   (each worker logs "Worker started execution <id>"; execution records do not name the process);
 * - the callback's retries work on a worker (the retries group, with a check of where each execution ran);
 * - a worker killed while a callback request is in flight: n8n's own recovery fails the execution once the job's
 *   lock expires and keeps none of its input, so neither n8n nor a "Retry" sends the notification again; a catch-up
 *   copy of the workflow (Start From before the changes, same Instance Name) sends it with the same
 *   Elements-Webhook-Id;
 * - the trigger's static data lives in PostgreSQL and survives a restart of the main process; the changes made
 *   while the main was down arrive once after it is back.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { Flow, POLL_WAIT_MS } from '../lib/flow';
import { versions } from '../lib/install';
import { N8n, sleep, waitFor } from '../lib/n8n';
import { type Tarball } from '../lib/package';
import { assert, fail, failedIn, say, test } from '../lib/report';
import { startPostgres, startRedis, type Postgres, type Redis } from '../lib/services';
import { startSink } from '../lib/sink';
import { triggerToCallback } from '../lib/workflows';
import { retries } from './retries';
import { installN8n, nodeList, startWithPackage } from './startup';

const TRIGGER_NODE = 'Pardot Trigger';

function queueEnv(pg: Postgres, redis: Redis, encryptionKey: string): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		N8N_ENCRYPTION_KEY: encryptionKey,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: pg.password,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
	};
}

/** Which process ran which execution, from the workers' own log lines. */
class Placement {
	private readonly byExecution = new Map<string, string>();
	watch(worker: N8n) {
		worker.watch((line) => {
			const m = /Worker started execution (\d+) \(job (\d+)\)/.exec(line);
			if (m) this.byExecution.set(m[1], worker.name);
		});
	}
	async ranOn(executionId: string): Promise<string> {
		try {
			return await waitFor(`a worker to log execution ${executionId}`, () => this.byExecution.get(String(executionId)), { timeoutMs: 15_000, intervalMs: 250 });
		} catch {
			return 'no worker (none logged it)';
		}
	}
	counts() {
		const c = new Map<string, number>();
		for (const w of this.byExecution.values()) c.set(w, (c.get(w) ?? 0) + 1);
		return [...c].map(([w, n]) => `${w}: ${n}`).join(', ');
	}
}

async function staticDataOf(pg: Postgres, workflowId: string): Promise<any> {
	const raw = await pg.query(`select "staticData" from workflow_entity where id = '${workflowId.replace(/'/g, "''")}'`);
	return raw ? JSON.parse(raw) : null;
}

export async function queueLine(tarball: Tarball, budget: (label: string) => () => void) {
	const q = versions.queue;
	const spec = versions.lines[q.line];
	const label = `queue: n8n ${spec.n8n}, 1 main + ${q.workers} workers`;
	const install = await installN8n(label, q.line);
	if (!install) return;
	const stopBudget = budget(label);
	const log = (m: string) => say(`[${label}] ${m}`);
	const sink = await startSink();
	const flows: Flow[] = [];
	let pg: Postgres | undefined;
	let redis: Redis | undefined;
	let main: N8n | undefined;
	const workers: N8n[] = [];
	try {
		await test(label, 'PostgreSQL and Redis on 127.0.0.1, free ports', async (l) => {
			pg = await startPostgres(l);
			redis = await startRedis(l);
		});
		if (!pg || !redis) return;
		const db = pg;
		const env = queueEnv(pg, redis, randomBytes(24).toString('hex'));
		const m = new N8n({ install, name: 'main', env, log });
		main = m;
		for (let i = 1; i <= q.workers; i++) workers.push(new N8n({ install, command: 'worker', name: `worker ${i}`, env, log }));
		const placement = new Placement();
		for (const w of workers) placement.watch(w);

		const ctx = await startWithPackage(label, m, sink, tarball, { line: q.line, workers });
		if (!ctx) return;
		await nodeList(ctx);
		const ranOn = (id: string) => placement.ranOn(id);

		// ------------------------------------------------------------ in parallel: schedule, retries, restart baseline
		const every = new Flow(ctx, 'queue-every-resource');
		const restart = new Flow(ctx, 'queue-main-restart');
		const killed = new Flow(ctx, 'queue-worker-killed');
		flows.push(every, restart, killed);
		let restartReady = false;
		await Promise.all([
			test(label, 'every resource\'s changes arrive once each at a real scheduled poll, executed on workers', async (l) => {
				await every.setup({ auth: 'legacy', apiVersion: '4' });
				const t = Date.now();
				await every.changes();
				l('changed contacts and leads (created, updated, deleted); waiting for n8n\'s own schedule');
				await every.waitDelivered('a scheduled poll (no activation by us)', POLL_WAIT_MS);
				l(`scheduled poll delivered after ${((Date.now() - t) / 1000).toFixed(0)} s`);
				await every.changes();
				await every.pollNow();
				await every.waitDelivered('second round via an extra poll', 30_000);
				await every.assertNothingNewAfterExtraPoll();
				const types = new Set(every.events().map((e) => `${e.objectType}/${e.eventType}`));
				assert(types.size === 6, `not every resource and event type arrived: ${[...types].join(', ')}`);
				const withEvents = (await ctx.n8n.executions(every.wfId)).filter((e: any) => e.status === 'success');
				assert(withEvents.length >= 2, `expected at least 2 successful executions, found ${withEvents.length}`);
				const where: string[] = [];
				for (const e of withEvents) {
					const name = await ranOn(e.id);
					assert(name.startsWith('worker'), `execution ${e.id} (${e.mode}) ran on ${name}`);
					where.push(`${e.id}:${e.mode}@${name}`);
				}
				l(`${every.expected.length} events (${[...types].join(', ')}) once each; executions ${where.join(', ')}`);
			}),
			...retries(ctx, flows, { ranOn }),
			test(label, 'main restart, part 1: baseline and one delivered round', async () => {
				await restart.setup({ auth: 'legacy', apiVersion: '4' });
				await restart.changes();
				await restart.pollNow();
				await restart.waitDelivered('round 1 via an extra poll', 30_000);
				restartReady = true;
			}),
		]);

		// ------------------------------------------------------------ a worker dies in the middle of a delivery
		await test(label, 'a worker killed during a callback request: n8n fails the execution and sends nothing again; a catch-up workflow resends the same Elements-Webhook-Id', async (l) => {
			// a long callback timeout, so that the request is still in flight when the worker dies
			// One resource: one notification in flight (notifications are grouped by object type).
			await killed.setup({ auth: 'legacy', apiVersion: '4', resources: ['contacts'], callbackOptions: { timeout: 300_000 } });
			sink.hold(killed.path);
			const before = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'); // after the seeded history
			await killed.changes();
			await killed.pollNow();
			await waitFor('the callback request to reach the receiver', () => sink.attempts(killed.path).length >= 1, { timeoutMs: 60_000, intervalMs: 250 });
			const running = await waitFor(
				'the running execution',
				async () => (await ctx.n8n.executions(killed.wfId)).find((e: any) => e.status === 'running'),
				{ timeoutMs: 30_000, intervalMs: 500 },
			);
			const victimName = await ranOn(running.id);
			const victim = workers.find((w) => w.name === victimName);
			assert(victim, `execution ${running.id} ran on ${victimName}`);
			const tKill = Date.now();
			await victim.kill();
			l(`execution ${running.id} was on ${victim.name}, which got SIGKILL while the receiver held its request`);
			await waitFor('the receiver to see the connection drop', () => sink.attempts(killed.path)[0].abandoned, { timeoutMs: 10_000, intervalMs: 100 });
			const lost = sink.attempts(killed.path)[0];

			// n8n's own recovery: the job's lock expires, the surviving worker finds the job stalled, main fails it
			const ended = await waitFor(
				`n8n to end execution ${running.id}`,
				async () => {
					const e = await ctx.n8n.execution(running.id);
					return ['error', 'crashed', 'success', 'canceled'].includes(e.status) ? e : null;
				},
				{ timeoutMs: 300_000, intervalMs: 2000 },
			);
			const message = ended.data?.resultData?.error?.message ?? '';
			l(`n8n ended execution ${running.id} as "${ended.status}" ${Math.round((Date.now() - tKill) / 1000)} s after the kill: ${message}`);
			assert(ended.status === 'error' || ended.status === 'crashed', `the execution ended as ${ended.status}`);
			const stack = ended.data?.executionData?.nodeExecutionStack ?? [];
			const ran = Object.keys(ended.data?.resultData?.runData ?? {});
			assert(stack.length === 0 && ran.length === 0, `n8n kept input for execution ${running.id}: stack ${stack.length}, nodes [${ran.join(', ')}]`);
			l('n8n kept no input of the failed execution (no run data, empty node stack)');

			// what a user tries next: "Retry" in the Executions list; it has nothing to run
			sink.release(killed.path);
			await ctx.n8n.rest('POST', `/executions/${running.id}/retry`, { loadWorkflow: false }, { allowError: true });
			const retried = await waitFor(
				'the retry execution to end',
				async () => (await ctx.n8n.executions(killed.wfId)).find((e: any) => String(e.retryOf) === String(running.id) && e.status !== 'running' && e.status !== 'new'),
				{ timeoutMs: 60_000, intervalMs: 1000 },
			);
			await sleep(3000);
			assert(sink.attempts(killed.path).length === 1, `the receiver got ${sink.attempts(killed.path).length} requests after n8n's recovery and a retry`);
			l(`n8n sent nothing again by itself; the retry ${retried.id} ended "${retried.status}" on ${await ranOn(retried.id)} without sending anything`);

			// the way to send those changes again: a catch-up copy with Start From before them and the same Instance Name
			const original = await ctx.n8n.getWorkflow(killed.wfId);
			const catchUp = await ctx.n8n.createWorkflow(
				triggerToCallback({
					name: `${original.name} (catch-up)`,
					authentication: 'legacy',
					pardotCredential: killed.cred,
					signingCredential: ctx.signing,
					callbackUrl: sink.url + killed.path,
					resources: ['contacts'],
					triggerOptions: { startFrom: before },
					callbackOptions: { instanceName: original.name },
					typeVersions: ctx.typeVersions,
				}),
			);
			await ctx.n8n.activate(catchUp.id);
			await waitFor('the catch-up notification', () => sink.requests(killed.path).length >= 1, { timeoutMs: 60_000, intervalMs: 500 });
			await ctx.n8n.deactivate(catchUp.id);
			const resent = sink.attempts(killed.path)[1];
			const id = (x: typeof lost) => x.headers['elements-webhook-id'];
			assert(id(resent) === id(lost), `the catch-up sent Elements-Webhook-Id ${id(resent)}, the lost request had ${id(lost)}`);
			killed.assertExactlyOnce();
			// the same notification, but read by another poll: only Pardot's clock at that poll (pollDate) may differ
			const withoutPollDate = (b: Buffer) => JSON.stringify(JSON.parse(b.toString('utf8')), (k, v) => (k === 'pollDate' ? undefined : v));
			assert(withoutPollDate(resent.body) === withoutPollDate(lost.body), 'the catch-up body differs from the lost one in more than pollDate');
			l(
				`catch-up workflow ${catchUp.id} (Start From ${before}) delivered the ${killed.expected.length} changes with the lost request's Elements-Webhook-Id ${id(lost)}; body ${resent.body.equals(lost.body) ? 'identical' : 'the same but for pollDate'}`,
			);
			await victim.start();
			l(`${victim.name} started again`);
		});

		// ------------------------------------------------------------ the main process restarts between two polls
		await test(label, 'main restart, part 2: static data in PostgreSQL survives; changes made while main was down arrive once', async (l) => {
			assert(restartReady, 'part 1 failed');
			const saved = await staticDataOf(db, restart.wfId);
			const cursor = saved?.[`node:${TRIGGER_NODE}`];
			assert(cursor && Object.keys(cursor).length > 0, `no trigger state in workflow_entity."staticData": ${JSON.stringify(saved)}`);
			l(`workflow_entity."staticData" holds ${JSON.stringify(cursor).length} bytes under "node:${TRIGGER_NODE}"`);
			await restart.changes();
			const mark = sink.requests(restart.path).length;
			const tStop = Date.now();
			await m.stop();
			l(`main stopped in ${((Date.now() - tStop) / 1000).toFixed(1)} s (workers keep running); changing records while it is down`);
			await restart.changes();
			const tStart = Date.now();
			await m.start();
			await m.ensureOwner();
			l(`main up again in ${((Date.now() - tStart) / 1000).toFixed(1)} s; waiting for its first poll`);
			await restart.waitDelivered('the first poll after the main restart', POLL_WAIT_MS);
			// n8n saves a poll's static data when the poll hands its items over, without waiting for the save: wait
			// for it rather than read it once
			let after: unknown;
			await waitFor(
				'the trigger state in PostgreSQL to move on after the restart',
				async () => {
					after = (await staticDataOf(db, restart.wfId))?.[`node:${TRIGGER_NODE}`];
					return JSON.stringify(after) !== JSON.stringify(cursor);
				},
				{ timeoutMs: 30_000, intervalMs: 500, describe: () => `workflow_entity."staticData" still holds ${JSON.stringify(after).slice(0, 300)}` },
			);
			l(`the 12 changes from before and during the stop arrived in ${sink.requests(restart.path).length - mark} notification(s), once each`);
			await restart.assertNothingNewAfterExtraPoll();
			for (const f of [every]) if (f.wfId) await f.assertNothingNewAfterExtraPoll();
			l(`executions per worker over the whole line: ${placement.counts()}`);
		});
	} catch (e) {
		fail(label, 'suite', (e as Error).message);
		say(`[${label}] suite error: ${(e as Error).stack}`);
	} finally {
		const keep = failedIn(label);
		for (const p of [main, ...workers]) if (p && keep) say(`[${label}] ${p.name}: ${p.tail(40)}`);
		await Promise.all([main, ...workers].map((p) => p?.stop().catch(() => {})));
		await Promise.all(flows.map((f) => f.close()));
		await sink.close();
		await redis?.stop().catch(() => {});
		await pg?.stop().catch(() => {});
		stopBudget();
		for (const p of [main, ...workers]) {
			if (!p) continue;
			if (keep) say(`[${label}] kept the ${p.name} user folder for inspection: ${p.userFolder}`);
			else fs.rmSync(p.userFolder, { recursive: true, force: true });
		}
	}
}
