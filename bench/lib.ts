/** Shared pieces of the bench: the trigger runner, counting calls, the bare transfer loop, statistics. */
import { execSync } from 'node:child_process';
import os from 'node:os';

import type { INodeExecutionData } from 'n8n-workflow';

import { DEFAULT_BUSINESS_UNIT, DEFAULT_OAUTH_CLIENT, DEFAULT_USER } from '../simulator/types';
import type { RecordType, SimStats, SimulatorHandle } from '../simulator/types';
import type { PollRunner } from '../test/lib/n8n';
import type { RequestRecord } from '../test/lib/n8n';
import { clearLegacySessions, triggerRunner } from '../test/lib/pardot';
import type { Flavor } from '../test/lib/pardot';
import type { TransportOptions } from '../nodes/shared/transport';

export const MINUTE = 60_000;

export type Resource = 'contacts' | 'leads' | 'visitorActivities' | 'listMemberships' | 'lists' | 'campaigns' | 'visitors';

/** One watched stream on one API family. */
export interface Combo {
	key: string;
	label: string;
	flavor: Flavor;
	resource: Resource;
	type: RecordType;
	pageSize: number;
	/** v3/v4 cannot filter opportunities by update date: every poll reads them all. */
	readsAll: boolean;
	/** The trigger's Events for this stream (default: Created and Updated). */
	events?: string[];
	/** Queries a poll needs besides the pages of changes: v3/v4 read the recycle bin in a query of its own. */
	extraQueries?: number;
	/** Activity Types are filtered on our side (v5 has no documented type filter): every new activity is read. */
	typesClientSide?: boolean;
}

export const COMBOS: Combo[] = [
	{ key: 'contacts-v4', label: 'contacts, v4', flavor: 'legacy-v4', resource: 'contacts', type: 'prospect', pageSize: 200, readsAll: false },
	{ key: 'contacts-v5', label: 'contacts, v5', flavor: 'oauth-v5', resource: 'contacts', type: 'prospect', pageSize: 1000, readsAll: false },
	{ key: 'leads-v4', label: 'leads (opportunities), v4', flavor: 'legacy-v4', resource: 'leads', type: 'opportunity', pageSize: 200, readsAll: true },
	{ key: 'leads-v5', label: 'leads (opportunities), v5', flavor: 'oauth-v5', resource: 'leads', type: 'opportunity', pageSize: 1000, readsAll: false },
];

const ALL_EVENTS = ['CREATED', 'UPDATED', 'DELETED'];

/**
 * The objects beyond contacts and leads (the calls section's second table). List memberships watch Deleted too
 * (a prospect removed from a list is the point of them); v3/v4 campaigns cannot be polled (no dates).
 */
export const OBJECT_COMBOS: Combo[] = [
	{ key: 'visitorActivities-v4', label: 'visitor activities, v4', flavor: 'legacy-v4', resource: 'visitorActivities', type: 'visitorActivity', pageSize: 200, readsAll: false },
	{ key: 'visitorActivities-v5', label: 'visitor activities, v5', flavor: 'oauth-v5', resource: 'visitorActivities', type: 'visitorActivity', pageSize: 1000, readsAll: false, typesClientSide: true },
	{ key: 'listMemberships-v4', label: 'list memberships (with Deleted), v4', flavor: 'legacy-v4', resource: 'listMemberships', type: 'listMembership', pageSize: 200, readsAll: false, events: ALL_EVENTS, extraQueries: 1 },
	{ key: 'listMemberships-v5', label: 'list memberships (with Deleted), v5', flavor: 'oauth-v5', resource: 'listMemberships', type: 'listMembership', pageSize: 1000, readsAll: false, events: ALL_EVENTS },
	{ key: 'lists-v4', label: 'lists, v4', flavor: 'legacy-v4', resource: 'lists', type: 'list', pageSize: 200, readsAll: false },
	{ key: 'lists-v5', label: 'lists, v5', flavor: 'oauth-v5', resource: 'lists', type: 'list', pageSize: 1000, readsAll: false },
	{ key: 'campaigns-v5', label: 'campaigns, v5', flavor: 'oauth-v5', resource: 'campaigns', type: 'campaign', pageSize: 1000, readsAll: false },
	{ key: 'visitors-v4', label: 'visitors, v4', flavor: 'legacy-v4', resource: 'visitors', type: 'visitor', pageSize: 200, readsAll: false },
	{ key: 'visitors-v5', label: 'visitors, v5', flavor: 'oauth-v5', resource: 'visitors', type: 'visitor', pageSize: 1000, readsAll: false },
];

export function comboOf(key: string): Combo {
	const combo = [...COMBOS, ...OBJECT_COMBOS].find((c) => c.key === key);
	if (!combo) throw new Error(`unknown combo ${key}`);
	return combo;
}

// ---------------------------------------------------------------- runner

export interface RunnerSetup {
	flavor: Flavor;
	resources: Resource[];
	maxEventsPerPoll?: number;
	startFrom?: string;
	events?: string[];
	/** The credential's time zone (v3/v4 dates). */
	timezone?: string;
	/** Options → Activity Types (visitor activities). */
	activityTypes?: string[];
	/**
	 * Which emission the trigger runs: 'settled' (what it does today: a change once its settle time has
	 * passed) or 'visible' (passed on as transport.emitWhenVisible). Unset: the trigger's own default.
	 */
	variant?: 'settled' | 'visible';
	/** false: one request at a time, no page asked for before the last one is parsed (transport.pipelined). */
	pipelined?: boolean;
}

/** The real Pardot Trigger under the n8n-faithful PollRunner, pointed at the simulator at baseUrl. */
export function makeRunner(baseUrl: string, setup: RunnerSetup): PollRunner {
	const options: Record<string, unknown> = {};
	if (setup.maxEventsPerPoll !== undefined) options.maxEventsPerPoll = setup.maxEventsPerPoll;
	if (setup.startFrom !== undefined) options.startFrom = setup.startFrom;
	if (setup.activityTypes !== undefined) options.activityTypes = setup.activityTypes;
	const transport: TransportOptions = {};
	if (setup.variant !== undefined) transport.emitWhenVisible = setup.variant === 'visible';
	if (setup.pipelined !== undefined) transport.pipelined = setup.pipelined;
	return triggerRunner({ baseUrl } as SimulatorHandle, {
		flavor: setup.flavor,
		transport,
		parameters: {
			resources: setup.resources,
			...(setup.events ? { events: setup.events } : {}),
			options,
		} as never,
		credentials: setup.timezone ? { timezone: setup.timezone } : undefined,
	});
}

/** A simulator reset invalidates every api_key; the trigger's process-wide cache must forget them too. */
export function forgetSessions(): void {
	clearLegacySessions();
}

// ---------------------------------------------------------------- counting

export interface CallCount {
	data: number;
	logins: number;
	total: number;
}

const DATA_ENDPOINTS = [
	...['prospect', 'opportunity', 'visitorActivity', 'listMembership', 'list', 'campaign', 'visitor'].map((o) => `${o}.query`),
	...['prospects', 'opportunities', 'visitor-activities', 'list-memberships', 'lists', 'campaigns', 'visitors'].map((o) => `v5.${o}`),
];
const LOGIN_ENDPOINTS = ['login', 'oauth.token'];

export function countCalls(stats: SimStats): CallCount {
	const sum = (names: string[]) => names.reduce((n, name) => n + (stats.byEndpoint[name] ?? 0), 0);
	return { data: sum(DATA_ENDPOINTS), logins: sum(LOGIN_ENDPOINTS), total: stats.total };
}

export function isDataRequest(url: string): boolean {
	return /\/api\/(prospect|opportunity|visitorActivity|listMembership|list|campaign|visitor)\/version\/\d\/do\/query|\/api\/v5\/objects\//.test(url);
}

export function isLoginRequest(url: string): boolean {
	return /\/api\/login\/version\/|\/services\/oauth2\/token/.test(url);
}

/** Calls counted from the harness's own request log (for child processes that cannot read stats). */
export function countRequests(requests: RequestRecord[]): CallCount {
	return {
		data: requests.filter((r) => isDataRequest(r.url)).length,
		logins: requests.filter((r) => isLoginRequest(r.url)).length,
		total: requests.length,
	};
}

// ---------------------------------------------------------------- bare transfer loop

/**
 * Fetches exactly the pages a poll fetched (same URLs, same order, same keep-alive transport),
 * one after the other, and does nothing with them: what moving the bytes costs, no more.
 * Authentication is obtained before the clock starts.
 */
/**
 * How long at least one of `requests` was waiting for its answer (from being handed to the HTTP client to the
 * answer's headers): the union of their intervals, so requests in flight together count once.
 */
export function inFlightMs(requests: RequestRecord[]): number {
	const spans = requests.map((r) => [r.startedAt, r.endedAt] as const).sort((a, b) => a[0] - b[0]);
	let total = 0;
	let end = -Infinity;
	for (const [from, to] of spans) {
		if (to <= end) continue;
		total += to - Math.max(from, end);
		end = to;
	}
	return total;
}

/** The bare loop's wall time, and the part of it no request was waiting for an answer (n8n preparing each request, reading each body). */
export interface BareTransfer {
	ms: number;
	ownMs: number;
}

export async function bareTransfer(runner: PollRunner, baseUrl: string, flavor: Flavor, requests: RequestRecord[]): Promise<BareTransfer> {
	const http = runner.http.httpRequest;
	let headers: Record<string, string>;
	if (flavor.startsWith('legacy')) {
		const version = flavor.split('-v')[1];
		const body = new URLSearchParams({ email: DEFAULT_USER.email, password: DEFAULT_USER.password, user_key: DEFAULT_USER.userKey, format: 'json' });
		const text = await http({
			method: 'POST',
			url: `${baseUrl}/api/login/version/${version}`,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: body.toString(),
			json: false,
			encoding: 'text',
		});
		const apiKey = JSON.parse(String(text)).api_key as string;
		headers = { Accept: 'application/json', Authorization: `Pardot api_key=${apiKey}, user_key=${DEFAULT_USER.userKey}` };
	} else {
		const body = new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: DEFAULT_OAUTH_CLIENT.clientId,
			client_secret: DEFAULT_OAUTH_CLIENT.clientSecret,
		});
		const text = await http({
			method: 'POST',
			url: `${baseUrl}/services/oauth2/token`,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: body.toString(),
			json: false,
			encoding: 'text',
		});
		const token = JSON.parse(String(text)).access_token as string;
		headers = { Accept: 'application/json', Authorization: `Bearer ${token}`, 'Pardot-Business-Unit-Id': DEFAULT_BUSINESS_UNIT };
	}
	const pages = requests.filter((r) => isDataRequest(r.url));
	const first = runner.http.requests.length;
	const started = performance.now();
	for (const page of pages) {
		await http({ method: page.method as 'GET', url: page.url, headers, json: false, encoding: 'text', ignoreHttpStatusErrors: true });
	}
	const ms = performance.now() - started;
	return { ms, ownMs: ms - inFlightMs(runner.http.requests.slice(first)) };
}

/**
 * One throwaway request on the runner's keep-alive connection right before a measured poll, as the
 * bare loop's login is right before it: both then start on a warm connection and a simulator that
 * has finished the writes (and the garbage) of the setup.
 */
export async function warmUp(runner: PollRunner, baseUrl: string): Promise<void> {
	await runner.http.httpRequest({ url: `${baseUrl}/`, json: false, encoding: 'text', ignoreHttpStatusErrors: true });
}

// ---------------------------------------------------------------- state

/** Bytes of the trigger's static data as n8n stores it (the node's entry of the workflow JSON). */
export function stateBytes(runner: PollRunner): number {
	const state = runner.persistedNodeState();
	return state === undefined ? 0 : Buffer.byteLength(JSON.stringify(state));
}

/** The same for the live in-memory object (what would be saved if n8n saved now). */
export function liveStateBytes(runner: PollRunner): number {
	const state = runner.inMemoryNodeState();
	return state === undefined ? 0 : Buffer.byteLength(JSON.stringify(state));
}

export function itemsOf(items: INodeExecutionData[][] | null | undefined): INodeExecutionData[] {
	return items ? items.flat() : [];
}

// ---------------------------------------------------------------- statistics

export interface Summary {
	median: number;
	min: number;
	max: number;
	n: number;
}

export function summarize(values: number[]): Summary {
	const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	if (sorted.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
	const mid = Math.floor(sorted.length / 2);
	const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

export function fmtNum(value: number, digits = 0): string {
	if (!Number.isFinite(value)) return '–';
	return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "median (min–max)", or just the value when every run agreed or there was one run. */
export function fmtSummary(s: Summary, digits = 0, unit = ''): string {
	if (s.n === 0) return '–';
	const m = `${fmtNum(s.median, digits)}${unit}`;
	if (s.n === 1 || fmtNum(s.min, digits) === fmtNum(s.max, digits)) return m;
	return `${m} (${fmtNum(s.min, digits)}–${fmtNum(s.max, digits)})`;
}

export function fmtBytes(bytes: number): string {
	if (!Number.isFinite(bytes)) return '–';
	if (bytes < 10_000) return `${fmtNum(bytes)} B`;
	if (bytes < 10_000_000) return `${fmtNum(bytes / 1024, 1)} KB`;
	return `${fmtNum(bytes / 1024 / 1024, 1)} MB`;
}

export function mb(bytes: number): number {
	return bytes / 1024 / 1024;
}

// ---------------------------------------------------------------- machine

export interface Machine {
	cpu: string;
	cores: number;
	ramGb: number;
	node: string;
	os: string;
	date: string;
	/** The commit measured, with "+ local changes" when nodes/ differs from it. */
	code: string;
	/** 1-minute load average when the bench started (other jobs on the machine). */
	loadStart: number;
	loadEnd?: number;
}

function codeVersion(): string {
	try {
		const run = (cmd: string) => execSync(cmd, { cwd: `${__dirname}/..`, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
		const commit = run('git rev-parse --short HEAD');
		return run('git status --porcelain -- nodes credentials') ? `${commit} + local changes in nodes/` : commit;
	} catch {
		return 'unknown';
	}
}

export function machine(): Machine {
	const cpus = os.cpus();
	return {
		cpu: cpus[0]?.model?.trim() || 'unknown',
		cores: cpus.length,
		ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		node: process.version,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
		code: codeVersion(),
		loadStart: os.loadavg()[0],
	};
}

/** A forced full GC when the process runs with --expose-gc (child jobs); a no-op otherwise. */
export function gc(): void {
	const fn = (globalThis as { gc?: () => void }).gc;
	if (fn) {
		fn();
		fn();
	}
}
