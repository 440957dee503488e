/**
 * One n8n process (`n8n start`, or `n8n worker` in queue mode): a temporary user folder with our package installed
 * from its tarball as n8n's community-package installer does (./package.ts), 127.0.0.1 only, telemetry off.
 * Driven the way an administrator would: the REST API the editor uses.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { type N8nInstall } from './install';
import { installPackage, type Tarball } from './package';
import { start, runToEnd, type Proc } from './procs';

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as net.AddressInfo).port;
			s.close(() => resolve(port));
		});
	});
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until check() returns a truthy value; on timeout throw naming what we waited for and the last state. */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
	opts: { timeoutMs: number; intervalMs?: number; describe?: () => string | Promise<string> },
): Promise<T> {
	const deadline = Date.now() + opts.timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const v = await check();
			if (v) return v as T;
		} catch (e) {
			lastError = e;
		}
		if (Date.now() > deadline) {
			const state = opts.describe ? await opts.describe() : '';
			throw new Error(
				`timed out after ${Math.round(opts.timeoutMs / 1000)} s waiting for: ${what}` +
					(lastError ? `\n  last error: ${(lastError as Error).message}` : '') +
					(state ? `\n  state: ${state}` : ''),
			);
		}
		await sleep(opts.intervalMs ?? 1000);
	}
}

/** The statuses after which n8n runs nothing more of an execution ('waiting' executions resume later). */
export const ENDED_STATUSES = ['success', 'error', 'crashed', 'canceled'];

/** The stored data of an execution holds the end of its run: the last node that ran, or the error that ended it. */
export function runEnded(ex: any): boolean {
	const result = ex?.data?.resultData;
	return Boolean(result && (result.lastNodeExecuted || result.error));
}

/** One line on what a read of an execution showed, for failure messages. */
export function describeExecution(ex: any): string {
	const result = ex?.data?.resultData;
	const ran = Object.keys(result?.runData ?? {});
	return (
		`status ${ex?.status}, finished ${ex?.finished}, stoppedAt ${ex?.stoppedAt ?? 'none'}, ` +
		(ex?.data == null
			? 'no run data stored'
			: `run data of [${ran.join(', ')}], last node ${result?.lastNodeExecuted ?? 'none'}, error ${result?.error ? JSON.stringify(String(result.error.message ?? '')).slice(0, 200) : 'none'}`)
	);
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}
export const DEFAULT_OWNER: Owner = {
	email: 'owner@example.com',
	password: 'Pardot-demo-1',
	firstName: 'Demo',
	lastName: 'Owner',
};

export interface N8nOptions {
	install: N8nInstall;
	/** the user folder (kept across restarts); a fresh temporary one when omitted */
	userFolder?: string;
	port?: number;
	logFile?: string;
	/** `start` (the main process, default) or `worker` (queue mode) */
	command?: 'start' | 'worker';
	/** a name for logs and process lists, e.g. "main" or "worker 1" */
	name?: string;
	env?: NodeJS.ProcessEnv;
	log?: (msg: string) => void;
}

export class N8n {
	readonly install: N8nInstall;
	readonly userFolder: string;
	port = 0;
	brokerPort = 0;
	proc: Proc | null = null;
	logFile: string;
	private cookie = '';
	private readonly browserId = `e2e-${Math.random().toString(36).slice(2)}`;
	private output: string[] = [];
	private readonly log: (msg: string) => void;
	private readonly extraEnv: NodeJS.ProcessEnv;
	readonly command: 'start' | 'worker';
	readonly name: string;
	/** the tarball installed into this user folder, once installPackage ran */
	tarball: Tarball | null = null;
	packageDir = '';

	constructor(opts: N8nOptions) {
		this.install = opts.install;
		this.command = opts.command ?? 'start';
		this.name = opts.name ?? (this.command === 'worker' ? 'worker' : 'main');
		this.userFolder = opts.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${opts.install.line}-${this.name.replace(/\W+/g, '')}-`));
		this.port = opts.port ?? 0;
		this.logFile = opts.logFile ?? path.join(this.userFolder, 'n8n.log');
		this.log = opts.log ?? (() => {});
		this.extraEnv = opts.env ?? {};
	}

	get baseUrl() {
		return `http://127.0.0.1:${this.port}`;
	}

	get major() {
		return Number(this.install.version.split('.')[0]);
	}

	/** Our package from its tarball, into this process's user folder, as n8n's own installer does it. */
	async installPackage(tarball: Tarball) {
		this.packageDir = await installPackage(this.userFolder, tarball, this.install.env);
		this.tarball = tarball;
		return this.packageDir;
	}

	env(): NodeJS.ProcessEnv {
		return {
			...this.install.env,
			N8N_USER_FOLDER: this.userFolder,
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(this.port),
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${this.port}`,
			WEBHOOK_URL: `http://127.0.0.1:${this.port}/`,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_SECURE_COOKIE: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			// n8n 1.x offers a community node's AI tool variant (usableAsTool) only with this set.
			N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'info',
			N8N_LOG_OUTPUT: 'console',
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			DB_TYPE: 'sqlite',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
			NODE_OPTIONS: '--max-old-space-size=2048',
			...(this.command === 'worker'
				? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(this.port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' }
				: {}),
			...this.extraEnv,
		};
	}

	/** Run an n8n CLI command (import:workflow, publish:workflow, ...) with a timeout. */
	async cli(args: string[], timeoutMs = 120_000) {
		const r = await runToEnd(`n8n ${args[0]}`, this.install.nodeBin, [this.install.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env(),
			timeoutMs,
			logFile: this.logFile,
		});
		if (r.code !== 0) throw new Error(`n8n ${args.join(' ')} exited ${r.code}:\n${r.output.slice(-3000)}`);
		return r.output;
	}

	async start(timeoutMs = 120_000) {
		if (!this.tarball) throw new Error(`${this.name}: install the package first (installPackage)`);
		if (!this.port) this.port = await freePort();
		if (!this.brokerPort) this.brokerPort = await freePort();
		this.output = [];
		const t0 = Date.now();
		this.proc = start(`n8n ${this.install.version} ${this.name}`, this.install.nodeBin, [this.install.n8nBin, this.command], {
			cwd: this.userFolder,
			env: this.env(),
			logFile: this.logFile,
			onLine: (l) => {
				this.output.push(l);
				if (this.output.length > 400) this.output.shift();
				for (const w of this.watchers) w(l);
			},
		});
		const proc = this.proc;
		await waitFor(
			`n8n ${this.install.version} ${this.name} ready at ${this.baseUrl}/healthz/readiness`,
			async () => {
				if (proc.child.exitCode !== null) throw new Error(`n8n exited with ${proc.child.exitCode}`);
				const r = await fetch(`${this.baseUrl}/healthz/readiness`).catch(() => null);
				return r?.ok;
			},
			{ timeoutMs, intervalMs: 500, describe: () => this.tail(40) },
		);
		if (this.command === 'start') {
			// n8n 1.x reports ready before its REST routes are mounted: wait for the editor's first call to answer.
			await waitFor(
				`n8n ${this.install.version} REST API at ${this.baseUrl}/rest/settings`,
				async () => {
					if (proc.child.exitCode !== null) throw new Error(`n8n exited with ${proc.child.exitCode}`);
					const r = await fetch(`${this.baseUrl}/rest/settings`).catch(() => null);
					return r?.ok && (r.headers.get('content-type') ?? '').includes('json');
				},
				{ timeoutMs, intervalMs: 500, describe: () => this.tail(40) },
			);
		}
		this.log(`n8n ${this.install.version} ${this.name} ready on ${this.baseUrl} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	}

	/** Every output line from now on goes to fn too (until the returned function is called). */
	watch(fn: (line: string) => void) {
		this.watchers.add(fn);
		return () => this.watchers.delete(fn);
	}
	private readonly watchers = new Set<(line: string) => void>();

	/** The process dies at once, as when its machine fails: SIGKILL to its process group, no shutdown. */
	async kill() {
		if (!this.proc) return;
		const proc = this.proc;
		try {
			process.kill(-proc.child.pid!, 'SIGKILL');
		} catch {
			/* already gone */
		}
		await proc.exited;
		this.proc = null;
	}

	async stop() {
		if (this.proc) {
			await this.proc.stop(20_000);
			this.proc = null;
		}
	}

	tail(n = 40) {
		return `last n8n output (${this.logFile}):\n    ` + this.output.slice(-n).join('\n    ');
	}

	logSince(mark: number) {
		return this.output.slice(mark);
	}

	// ---------------------------------------------------------------- REST

	private queue: Promise<unknown> = Promise.resolve();

	private apiKeys: Promise<unknown> = Promise.resolve();

	/**
	 * POST /rest/api-keys, one at a time and a second apart: n8n 1.x signs a key with the user and the
	 * second it was made, so two keys made in one second are the same key and the second one fails
	 * ("There is already an entry with this name").
	 */
	async createApiKey(body: { label: string; scopes?: string[]; expiresAt: null }): Promise<any> {
		const made = this.apiKeys.then(async () => await this.rest('POST', '/api-keys', body));
		this.apiKeys = made.then(
			() => sleep(1100),
			() => sleep(1100),
		);
		return await made;
	}

	/**
	 * One REST call at a time, as one person in the editor makes them: n8n 1.x on SQLite (a single connection)
	 * fails overlapping transactions ("no such savepoint", "cannot commit - no transaction is active").
	 */
	async rest<T = any>(method: string, p: string, body?: unknown, opts: { allowError?: boolean } = {}): Promise<T> {
		const run = this.queue.then(() => this.restNow<T>(method, p, body, opts));
		this.queue = run.catch(() => {});
		return run;
	}

	private async restNow<T = any>(method: string, p: string, body?: unknown, opts: { allowError?: boolean } = {}): Promise<T> {
		const res = await fetch(`${this.baseUrl}/rest${p}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		for (const c of setCookie) {
			const m = /^(n8n-auth=[^;]*)/.exec(c);
			if (m) this.cookie = m[1];
		}
		const text = await res.text();
		let json: any;
		try {
			json = text ? JSON.parse(text) : {};
		} catch {
			json = { raw: text };
		}
		if (!res.ok && !opts.allowError)
			throw new Error(`${method} /rest${p} -> HTTP ${res.status}: ${text.slice(0, 600)}`);
		if (!res.ok) return { error: true, status: res.status, ...json } as T;
		return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
	}

	/** Owner account: set it up on a fresh instance, log in otherwise. */
	async ensureOwner(owner: Owner = DEFAULT_OWNER) {
		const r = await this.rest('POST', '/owner/setup', owner, { allowError: true });
		if (r?.error) {
			await this.rest('POST', '/login', { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password });
		}
		return owner;
	}

	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<{ id: string; name: string }> {
		return this.rest('POST', '/credentials', { name, type, data });
	}

	async updateCredential(id: string, name: string, type: string, data: Record<string, unknown>) {
		return this.rest('PATCH', `/credentials/${id}`, { name, type, data });
	}

	async createWorkflow(wf: any): Promise<{ id: string; versionId: string; name: string }> {
		const rest = { ...wf };
		for (const k of ['id', 'active', 'versionId', 'activeVersionId', 'meta', 'tags']) delete rest[k];
		return this.rest('POST', '/workflows', { settings: {}, ...rest, active: false });
	}

	async getWorkflow(id: string): Promise<any> {
		return this.rest('GET', `/workflows/${id}`);
	}

	/**
	 * Activation runs one trigger-mode poll at once (and fails if it throws). n8n 2.x publishes through an outbox
	 * that a background drain applies, so the REST call returns before the triggers run: wait for the
	 * publication status to settle, so that when this returns the activation poll has happened.
	 */
	async activate(id: string) {
		const wf = await this.getWorkflow(id);
		const r = await this.rest('POST', `/workflows/${id}/activate`, { versionId: wf.versionId });
		const st = await this.waitPublication(id, (s) => s.status !== 'in_progress' && s.status !== 'not_published');
		if (st && st.status !== 'published')
			throw new Error(`activation of workflow ${id} ${st.status}: ${JSON.stringify(st.triggers)}`);
		return r;
	}

	async deactivate(id: string) {
		const wf = await this.getWorkflow(id);
		const r = await this.rest('POST', `/workflows/${id}/deactivate`, { versionId: wf.versionId });
		await this.waitPublication(id, (s) => s.status === 'not_published');
		return r;
	}

	/** n8n 2.x: GET /rest/workflows/<id>/publication-status until done(status); null where it does not exist. */
	async waitPublication(id: string, done: (s: any) => boolean, timeoutMs = 60_000): Promise<any> {
		let last: any = null;
		return waitFor(
			`publication status of workflow ${id} to settle`,
			async () => {
				last = await this.rest('GET', `/workflows/${id}/publication-status`, undefined, { allowError: true });
				if (last?.error && last.status === 404) return { status: 'published', unavailable: true };
				return done(last) ? last : null;
			},
			{ timeoutMs, intervalMs: 250, describe: () => JSON.stringify(last) },
		);
	}

	/** One extra poll right now with the saved static data: deactivate, then activate. */
	async extraPoll(id: string) {
		await this.deactivate(id);
		await this.activate(id);
	}

	async executions(workflowId: string): Promise<any[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const r = await this.rest('GET', `/executions?filter=${filter}&limit=100`);
		return r.results ?? r;
	}

	/** One execution with its run data (n8n stores it in the `flatted` format). */
	async execution(id: string): Promise<any> {
		const r = await this.rest('GET', `/executions/${id}`);
		if (typeof r.data === 'string') {
			// n8n's own copy of flatted, so that the format always matches the n8n that wrote it
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const flatted = require(path.join(this.install.dir, 'node_modules', 'flatted'));
			r.data = flatted.parse(r.data);
		}
		return r;
	}

	/**
	 * One execution once n8n has stored its end, with its run data. A final status alone does not say that: n8n 1.x
	 * on its default SQLite (the single-connection driver, DB_SQLITE_POOL_SIZE=0) ends an execution with two
	 * statements outside a transaction (ExecutionRepository.updateExistingExecution): first the execution row
	 * (status, finished, stoppedAt), then its data. A read between the two shows a final status with the data
	 * stored when the execution was created; for a manual run that is no run data at all. Creating an execution
	 * (an error execution of a failed poll) is two inserts in the same way; a read between them fails (HTTP 500).
	 * n8n 2.x writes both in one transaction. So an execution has ended, as read here, when its status is final and
	 * its stored data holds the end of the run: the last node that ran, or the error that ended it. (A crashed or
	 * canceled execution is only marked so: its data may never hold an end.)
	 */
	async endedExecution(id: string, timeoutMs = 60_000): Promise<any> {
		let last = 'not read yet';
		return waitFor(
			`execution ${id} to end, with its run data stored`,
			async () => {
				const ex = await this.execution(id);
				last = describeExecution(ex);
				if (!ENDED_STATUSES.includes(ex.status)) return null;
				if (ex.status === 'crashed' || ex.status === 'canceled') return ex;
				return runEnded(ex) ? ex : null;
			},
			{ timeoutMs, intervalMs: 250, describe: () => `last read of execution ${id}: ${last}` },
		);
	}

	/** A manual run from a trigger, as the editor's "Fetch Test Event" button does (the trigger node only). */
	async runManually(workflowId: string, triggerName: string) {
		if (this.major >= 2)
			return this.rest('POST', `/workflows/${workflowId}/run`, {
				triggerToStartFrom: { name: triggerName },
				destinationNode: { nodeName: triggerName, mode: 'inclusive' },
			});
		const wf = await this.getWorkflow(workflowId);
		return this.rest('POST', `/workflows/${workflowId}/run`, {
			workflowData: wf,
			triggerToStartFrom: { name: triggerName },
			destinationNode: { nodeName: triggerName, mode: 'inclusive' },
		});
	}

	/** The loaded node types, as the editor receives them. */
	async nodeTypes(): Promise<any[]> {
		const r = await this.fetchRaw('/types/nodes.json');
		if (!r.ok) throw new Error(`GET /types/nodes.json -> ${r.status}`);
		return r.json() as Promise<any[]>;
	}

	async credentialTypes(): Promise<any[]> {
		const r = await this.fetchRaw('/types/credentials.json');
		if (!r.ok) throw new Error(`GET /types/credentials.json -> ${r.status}`);
		return r.json() as Promise<any[]>;
	}

	async fetchRaw(p: string) {
		return fetch(`${this.baseUrl}${p.startsWith('/') ? p : '/' + p}`, {
			headers: { 'browser-id': this.browserId, ...(this.cookie ? { cookie: this.cookie } : {}) },
		});
	}
}
