/**
 * The simulator itself: state (clock, store, credentials, faults, stats) and the HTTP pipeline.
 * Endpoint logic lives in legacy.ts (v3/v4), v5.ts and oauth.ts.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IANAZone } from 'luxon';

import { PardotError, messageFor } from './errors';
import { Random, randomChange, randomOpportunityChange, sampleOpportunity, sampleProspect } from './data';
import { legacyLogin, legacyQuery } from './legacy';
import { oauthAuthorize, oauthToken } from './oauth';
import { htmlErrorPage, jsonReply, legacyFail, textReply, v5Fail, type Reply } from './render';
import { Store } from './store';
import { localDayKey, nextLocalMidnight, parseControlInstant, renderUtcIso, zoneFor } from './time';
import {
	defaultConfig,
	realAccount,
	type ConfigurePatch,
	type FaultSpec,
	type RecordType,
	type SeedOptions,
	type SimRecord,
	type SimStats,
	type SimUsage,
	type SimulatorConfig,
	type SimulatorControl,
	type SimulatorOptions,
	type WriteOptions,
} from './types';
import { v5Query } from './v5';

/** What a handler gets about a request. */
export interface RequestContext {
	method: string;
	url: URL;
	/** Query string parameters only. */
	query: URLSearchParams;
	/** Query string merged with a form-urlencoded body (body wins), as Pardot reads v3/v4 parameters. */
	params: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	/** Scheme, host and port the client used (for URLs in answers). */
	origin: string;
}

export class SimClock {
	private base: number;
	private realRef: number;
	private frozenFlag = false;

	constructor(start: number) {
		this.base = start;
		this.realRef = Date.now();
	}

	now(): number {
		return this.frozenFlag ? this.base : this.base + (Date.now() - this.realRef);
	}

	get frozen(): boolean {
		return this.frozenFlag;
	}

	set(ms: number): void {
		this.base = ms;
		this.realRef = Date.now();
	}

	freeze(frozen: boolean): void {
		const now = this.now();
		this.frozenFlag = frozen;
		this.set(now);
	}
}

interface ApiKeyInfo {
	email: string;
	userKey: string;
	expiresAt: number;
}

interface AccessTokenInfo {
	clientId: string;
	expiresAt: number;
}

interface AuthCodeInfo {
	clientId: string;
	redirectUri: string | null;
	expiresAt: number;
	scope: string;
}

interface PendingFault extends FaultSpec {
	remaining: number;
}

export interface V5PageState {
	type: RecordType;
	fields: string[];
	order: Array<{ field: 'id' | 'createdAt' | 'updatedAt'; desc: boolean }>;
	filters: Array<{ field: 'id' | 'createdAt' | 'updatedAt'; op: 'gt' | 'gte' | 'lt' | 'lte'; value: number }>;
	deleted: 'true' | 'false' | 'all';
	limit: number;
	/** Sort values of the last record returned (keyset), in `order` order. */
	after: number[];
	returned: number;
	expiresAt: number;
}

export const ENDPOINTS = ['login', 'prospect.query', 'opportunity.query', 'v5.prospects', 'v5.opportunities', 'oauth.token'];

function emptyStats(): SimStats {
	const byEndpoint: Record<string, number> = {};
	for (const name of ENDPOINTS) byEndpoint[name] = 0;
	return { total: 0, byEndpoint };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function randomHex(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}

function cloneConfig(config: SimulatorConfig): SimulatorConfig {
	return {
		...config,
		users: config.users.map((u) => ({ ...u })),
		oauthClients: config.oauthClients.map((c) => ({ ...c, redirectUris: c.redirectUris ? [...c.redirectUris] : undefined })),
		businessUnits: [...config.businessUnits],
		v5LagSequenceMs: [...config.v5LagSequenceMs],
	};
}

/** Checks the options whose values are enumerations or must be numbers; throws a message naming the option. */
function validateConfig(next: SimulatorConfig): void {
	const oneOf = (name: keyof SimulatorConfig, allowed: unknown[]) => {
		if (!allowed.includes(next[name])) {
			throw new Error(`${name} must be ${allowed.map((a) => JSON.stringify(a)).join(' or ')}`);
		}
	};
	oneOf('updatedAfter', ['strict', 'inclusive']);
	oneOf('emptyResult', ['omit', 'null']);
	oneOf('accountVersion', [3, 4]);
	oneOf('legacyWrongUserKeyCode', [15, 1]);
	oneOf('legacyOpportunityDeleted', ['honour', 'ignore']);
	oneOf('legacyUnknownParams', ['ignore', 'reject']);
	oneOf('legacyTieOrder', ['idAscending', 'sortDirection', 'arbitrary']);
	oneOf('loginHost', ['myDomain', 'generic']);
	oneOf('v5LagModel', ['fixed', 'cache']);
	for (const name of ['legacyLoginReusesKey', 'dailyLimitCountsLogins', 'legacyLoginRetired', 'deleteBumpsUpdatedAt'] as const) {
		if (typeof next[name] !== 'boolean') throw new Error(`${name} must be true or false`);
	}
	for (const name of ['legacyLimitStatus', 'v5LimitStatus', 'expiredKeyStatus'] as const) {
		const status = next[name];
		if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error(`${name} must be an HTTP status (100-599)`);
	}
	for (const name of ['v5ReadLagMs', 'dailyApiLimit', 'dateHeaderOffsetMs', 'v5PageLimitWarningCode'] as const) {
		if (!Number.isFinite(next[name])) throw new Error(`${name} must be a number`);
	}
	if (next.v5ReadLagMs < 0 || next.dailyApiLimit < 0) throw new Error('v5ReadLagMs and dailyApiLimit must not be negative');
	if (!Array.isArray(next.v5LagSequenceMs) || next.v5LagSequenceMs.some((ms) => !Number.isFinite(ms) || ms < 0)) {
		throw new Error('v5LagSequenceMs must be a list of non-negative numbers (milliseconds)');
	}
}

/** Start options or a configure patch, with a `realAccount` preset expanded under the explicit fields. */
function expandPreset<T extends { realAccount?: unknown }>(input: T): Omit<T, 'realAccount'> {
	const { realAccount: edition, ...rest } = input;
	if (edition === undefined) return rest;
	return { ...realAccount(edition as Parameters<typeof realAccount>[0]), ...rest } as Omit<T, 'realAccount'>;
}

export class Simulator {
	config: SimulatorConfig;
	zone: IANAZone;
	clock: SimClock;
	readonly store = new Store();
	readonly apiKeys = new Map<string, ApiKeyInfo>();
	readonly accessTokens = new Map<string, AccessTokenInfo>();
	readonly refreshTokens = new Map<string, { clientId: string; scope: string }>();
	readonly authCodes = new Map<string, AuthCodeInfo>();
	readonly loginFailures = new Map<string, { count: number; lockedUntil: number }>();
	readonly v5Pages = new Map<string, V5PageState>();
	private faults: PendingFault[] = [];
	private statsData = emptyStats();
	private inFlight = 0;
	private daily = { day: '', count: 0 };
	private rng = new Random(20260214);
	/** Separate generators, so that the v5 cache and tie order never shift the sample data. */
	private lagRng = new Random(60_000);
	private tieRng = new Random(4242);
	private lagStep = 0;
	accountZone: IANAZone;
	private readonly initialConfig: SimulatorConfig;
	private readonly initialClock: string | undefined;
	private server: http.Server | null = null;
	private sockets = new Set<import('node:net').Socket>();
	baseUrl = '';
	port = 0;

	constructor(private readonly options: SimulatorOptions = {}) {
		const config: Partial<SimulatorOptions> = expandPreset({ ...options });
		const clock = config.clock;
		delete config.port;
		delete config.host;
		delete config.clock;
		this.initialConfig = { ...defaultConfig(), ...(config as Partial<SimulatorConfig>) };
		validateConfig(this.initialConfig);
		this.initialClock = clock;
		this.config = cloneConfig(this.initialConfig);
		this.zone = zoneFor(this.config.timezone);
		this.accountZone = zoneFor(this.config.accountTimezone ?? this.config.timezone);
		this.clock = new SimClock(clock ? parseControlInstant(clock, 'clock') : Date.now());
	}

	now(): number {
		return this.clock.now();
	}

	// ----- HTTP -----

	async listen(): Promise<void> {
		const server = http.createServer((req, res) => {
			this.handle(req, res).catch((error: unknown) => {
				if (!res.headersSent) {
					this.send(res, textReply(500, `Simulator error: ${(error as Error).message ?? String(error)}`));
				} else {
					res.destroy();
				}
			});
		});
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		// Node's default keep-alive timeout (5 s) can race a client's pooled connection; keep it longer.
		server.keepAliveTimeout = 30_000;
		this.server = server;
		const host = this.options.host ?? '127.0.0.1';
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.options.port ?? 0, host, () => {
				server.off('error', reject);
				resolve();
			});
		});
		this.port = (server.address() as AddressInfo).port;
		const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
		this.baseUrl = `http://${shownHost}:${this.port}`;
	}

	async close(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = null;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			for (const socket of this.sockets) socket.destroy();
		});
	}

	private send(res: http.ServerResponse, reply: Reply): void {
		if (res.destroyed) return;
		const body = Buffer.from(reply.body, 'utf8');
		res.writeHead(reply.status, {
			...reply.headers,
			// Pardot's Date header is the only server clock a client sees: it comes from the simulated clock.
			Date: new Date(this.now() + this.config.dateHeaderOffsetMs).toUTCString(),
			'Content-Length': String(body.length),
		});
		res.end(body);
	}

	private readBody(req: http.IncomingMessage): Promise<string> {
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
			req.on('error', reject);
		});
	}

	private endpointOf(method: string, path: string): string {
		if (/^\/api\/login\/version\/[^/]+\/?$/.test(path)) return 'login';
		const legacy = /^\/api\/(prospect|opportunity)\/version\/[^/]+\/do\/query\/?/.exec(path);
		if (legacy) return `${legacy[1]}.query`;
		const v5 = /^\/api\/v5\/objects\/(prospects|opportunities)\/?$/.exec(path);
		if (v5) return `v5.${v5[1]}`;
		if (path === '/services/oauth2/token') return 'oauth.token';
		if (path === '/services/oauth2/authorize') return 'oauth.authorize';
		return method === 'GET' && path === '/' ? 'index' : 'other';
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const host = req.headers.host ?? `127.0.0.1:${this.port}`;
		const url = new URL(req.url ?? '/', `http://${host}`);
		const method = (req.method ?? 'GET').toUpperCase();
		const body = await this.readBody(req);

		if (url.pathname.startsWith('/__sim/')) {
			this.send(res, this.handleControl(url.pathname.slice('/__sim/'.length), body));
			return;
		}

		const params = new URLSearchParams(url.search);
		const contentType = String(req.headers['content-type'] ?? '');
		if (body && (contentType.includes('application/x-www-form-urlencoded') || contentType === '')) {
			for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
		}
		const ctx: RequestContext = {
			method,
			url,
			query: new URLSearchParams(url.search),
			params,
			headers: req.headers,
			origin: `http://${host}`,
		};

		const endpoint = this.endpointOf(method, url.pathname);
		this.statsData.total++;
		this.statsData.byEndpoint[endpoint] = (this.statsData.byEndpoint[endpoint] ?? 0) + 1;

		// Pardot allows a handful of concurrent API requests per account; the next one is refused at once.
		const isPardotApi = url.pathname.startsWith('/api/');
		if (isPardotApi && this.inFlight >= this.config.maxConcurrentRequests) {
			this.send(res, this.errorReply(ctx, new PardotError(66)));
			return;
		}
		if (isPardotApi) this.inFlight++;
		try {
			const fault = this.takeFault(req.url ?? '/');
			if (fault?.kind === 'reset') {
				req.socket.destroy();
				return;
			}
			if (fault?.kind === 'delay') await sleep(fault.delayMs ?? 1000);
			if (this.config.latencyMs > 0) await sleep(this.config.latencyMs);
			let reply: Reply;
			if (fault && (fault.kind === 'pardotError' || fault.kind === 'http' || fault.kind === 'html')) {
				reply = this.faultReply(ctx, fault);
			} else {
				reply = await this.route(ctx, endpoint);
			}
			if (fault?.kind === 'truncated') {
				const cut = Math.max(1, Math.floor(reply.body.length / 2));
				reply = { ...reply, body: reply.body.slice(0, Math.min(cut, reply.body.length - 1)) };
			}
			this.send(res, reply);
		} finally {
			if (isPardotApi) this.inFlight--;
		}
	}

	private async route(ctx: RequestContext, endpoint: string): Promise<Reply> {
		const path = ctx.url.pathname;
		try {
			switch (endpoint) {
				case 'login': {
					const version = /^\/api\/login\/version\/([^/]+)/.exec(path)![1];
					return legacyLogin(this, ctx, version);
				}
				case 'prospect.query':
				case 'opportunity.query': {
					const version = /\/version\/([^/]+)\//.exec(path)![1];
					return legacyQuery(this, ctx, endpoint === 'prospect.query' ? 'prospect' : 'opportunity', version);
				}
				case 'v5.prospects':
				case 'v5.opportunities':
					return v5Query(this, ctx, endpoint === 'v5.prospects' ? 'prospect' : 'opportunity');
				case 'oauth.token':
					return oauthToken(this, ctx);
				case 'oauth.authorize':
					return oauthAuthorize(this, ctx);
				case 'index':
					return textReply(200, 'Pardot API simulator (n8n-nodes-pardot). See ARCHITECTURE.md.\n');
			}
			if (path.startsWith('/api/v5/')) return v5Fail(404, 'The requested resource was not found', 404);
			if (path.startsWith('/api/')) return this.errorReply(ctx, new PardotError(2, 200, 'Invalid action'));
			return textReply(404, 'Not Found');
		} catch (error) {
			if (error instanceof PardotError) return this.errorReply(ctx, error);
			throw error;
		}
	}

	/** Renders a Pardot error in the envelope of the API family the request used. */
	errorReply(ctx: RequestContext, error: PardotError): Reply {
		const limit = error.code === 66 || error.code === 122;
		if (ctx.url.pathname.startsWith('/api/v5/')) {
			return v5Fail(error.code, error.message, error.status ?? (limit ? this.config.v5LimitStatus : 400));
		}
		return legacyFail(this.formatOf(ctx), error.code, error.message, error.status ?? (limit ? this.config.legacyLimitStatus : 200));
	}

	formatOf(ctx: RequestContext): 'json' | 'xml' {
		// Pardot answers XML unless format=json is given.
		return (ctx.params.get('format') ?? '').toLowerCase() === 'json' ? 'json' : 'xml';
	}

	private faultReply(ctx: RequestContext, fault: PendingFault): Reply {
		switch (fault.kind) {
			case 'pardotError': {
				const code = fault.code ?? 1;
				const error = new PardotError(code, fault.status, fault.message ?? messageFor(code));
				if (ctx.url.pathname.startsWith('/services/')) {
					return jsonReply(fault.status ?? 400, { error: 'invalid_grant', error_description: error.message });
				}
				return this.errorReply(ctx, error);
			}
			case 'http': {
				const status = fault.status ?? 500;
				return textReply(status, `${http.STATUS_CODES[status] ?? 'Error'}\n`);
			}
			default: {
				const status = fault.status ?? 503;
				return htmlErrorPage(status, http.STATUS_CODES[status] ?? 'Error');
			}
		}
	}

	private takeFault(path: string): PendingFault | null {
		const index = this.faults.findIndex((f) => f.remaining > 0 && (!f.path || path.includes(f.path)));
		if (index < 0) return null;
		const fault = this.faults[index];
		fault.remaining--;
		if (fault.remaining <= 0) this.faults.splice(index, 1);
		return fault;
	}

	/**
	 * Counts an authenticated API call against the daily allocation, which resets at the start of the
	 * day in the account time zone (Pardot's docs); once it is used up, every call is error 122.
	 */
	chargeApiCall(): void {
		// Calls count only while a limit is set (dailyApiLimit 0 = unlimited, nothing counted).
		if (this.config.dailyApiLimit <= 0) return;
		const day = localDayKey(this.now(), this.accountZone);
		if (this.daily.day !== day) this.daily = { day, count: 0 };
		if (this.daily.count >= this.config.dailyApiLimit) throw new PardotError(122);
		this.daily.count++;
	}

	usage(): SimUsage {
		const now = this.now();
		const day = localDayKey(now, this.accountZone);
		return {
			day,
			used: this.daily.day === day ? this.daily.count : 0,
			limit: this.config.dailyApiLimit,
			resetsAt: renderUtcIso(nextLocalMidnight(now, this.accountZone)),
		};
	}

	/**
	 * How far behind the primary data this v5 read is. 'fixed': always v5ReadLagMs. 'cache' (Pardot's
	 * documented model): a cache less than 60 s behind may answer, else the primary does; each request
	 * is its own draw, so a read can show an older version than the read before it.
	 */
	v5Staleness(): number {
		const max = this.config.v5ReadLagMs;
		if (this.config.v5LagModel === 'fixed') return max;
		const sequence = this.config.v5LagSequenceMs;
		if (sequence.length > 0) return sequence[this.lagStep++ % sequence.length];
		// Half the reads from the primary, half from a cache between 0 and max behind.
		return this.lagRng.next() < 0.5 ? 0 : Math.round(this.lagRng.next() * max);
	}

	/** A fresh tie-breaking salt for legacyTieOrder 'arbitrary' (one per request). */
	tieSalt(): number {
		return Math.floor(this.tieRng.next() * 0x7fffffff);
	}

	/** Validates OAuth headers for Pardot calls: BU header present, token valid, BU known. */
	checkOAuth(ctx: RequestContext, token: string): void {
		const bu = ctx.headers['pardot-business-unit-id'];
		const buId = Array.isArray(bu) ? bu[0] : bu;
		if (!buId) throw new PardotError(181, 400);
		const info = this.accessTokens.get(token);
		if (!info || info.expiresAt <= this.now()) throw new PardotError(184, 401);
		if (!this.config.businessUnits.includes(buId)) throw new PardotError(201, 400);
	}

	issueAccessToken(clientId: string): string {
		const token = `00D000000000001!${randomBytes(36).toString('base64url')}`;
		this.accessTokens.set(token, { clientId, expiresAt: this.now() + this.config.accessTokenLifetimeMs });
		return token;
	}

	// ----- Control API -----

	private handleControl(name: string, body: string): Reply {
		const control = this.control as unknown as Record<string, (arg: unknown) => unknown>;
		if (!Object.prototype.hasOwnProperty.call(control, name) || typeof control[name] !== 'function') {
			return jsonReply(404, { error: `Unknown control operation: ${name}` });
		}
		try {
			const arg = body.trim() ? JSON.parse(body) : {};
			return jsonReply(200, control[name](arg) ?? { ok: true });
		} catch (error) {
			return jsonReply(400, { error: (error as Error).message });
		}
	}

	private writeAt(at: string | undefined): number {
		return at === undefined ? this.now() : parseControlInstant(at, 'at');
	}

	private simRecord(type: RecordType, id: number): SimRecord {
		const record = this.store.get(type, id);
		return this.store.toSimRecord(this.store.current(record));
	}

	private checkType(type: unknown): RecordType {
		if (type !== 'prospect' && type !== 'opportunity') throw new Error("type must be 'prospect' or 'opportunity'");
		return type;
	}

	private applyConfig(patch: ConfigurePatch): void {
		const { clock, ...rest } = expandPreset(patch as ConfigurePatch & { port?: unknown; host?: unknown });
		delete (rest as Record<string, unknown>).port;
		delete (rest as Record<string, unknown>).host;
		const next = cloneConfig({ ...this.config, ...(rest as Partial<SimulatorConfig>) });
		const zone = zoneFor(next.timezone);
		const accountZone = zoneFor(next.accountTimezone ?? next.timezone);
		validateConfig(next);
		if ((rest as Partial<SimulatorConfig>).v5LagSequenceMs !== undefined) this.lagStep = 0;
		this.config = next;
		this.zone = zone;
		this.accountZone = accountZone;
		if (clock !== undefined) this.clock.set(parseControlInstant(clock, 'clock'));
	}

	seedRecords(options: SeedOptions = {}): { prospectIds: number[]; opportunityIds: number[] } {
		const prospects = Math.max(0, Math.floor(options.prospects ?? 0));
		const opportunities = Math.max(0, Math.floor(options.opportunities ?? 0));
		const end = this.writeAt(options.at);
		const spread = Math.max(0, options.spreadMs ?? 0);
		const prospectIds: number[] = [];
		const opportunityIds: number[] = [];
		// Records are spread evenly over [at - spreadMs, at], oldest first, so ids grow with createdAt.
		const timeOf = (i: number, n: number) => (n <= 1 || spread === 0 ? end : end - spread + Math.round((spread * i) / (n - 1)));
		const existing = this.store.ids('prospect').length;
		for (let i = 0; i < prospects; i++) {
			const at = timeOf(i, prospects);
			const fields = sampleProspect(this.rng, existing + i + 1);
			if (this.rng.next() < 0.7) fields.lastActivityAt = at + Math.floor(this.rng.next() * Math.max(0, end - at));
			const record = this.store.create('prospect', this.store.normalizeFields('prospect', fields), at);
			prospectIds.push(record.id);
		}
		const pool = this.store.latest('prospect').filter((p) => !p.deleted).map((p) => p.id);
		for (let i = 0; i < opportunities; i++) {
			const at = timeOf(i, opportunities);
			const fields = sampleOpportunity(this.rng, pool);
			if (fields.status !== 'open') fields.closedAt = at;
			const record = this.store.create('opportunity', this.store.normalizeFields('opportunity', fields), at);
			opportunityIds.push(record.id);
		}
		return { prospectIds, opportunityIds };
	}

	/** One random create / update / delete at the current simulated time (the CLI's change stream). */
	randomChange(): { op: string; type: RecordType; id: number } {
		const type: RecordType = this.rng.next() < 0.75 ? 'prospect' : 'opportunity';
		const live = this.store.latest(type).filter((r) => !r.deleted);
		const roll = this.rng.next();
		if (live.length === 0 || roll < 0.3) {
			const ids = type === 'opportunity' ? this.seedRecords({ opportunities: 1 }).opportunityIds : this.seedRecords({ prospects: 1 }).prospectIds;
			return { op: 'create', type, id: ids[0] };
		}
		const target = this.rng.pick(live);
		if (roll < 0.92) {
			const fields = type === 'prospect' ? randomChange(this.rng) : randomOpportunityChange(this.rng);
			this.store.update(type, target.id, this.store.normalizeFields(type, fields), this.now());
			return { op: 'update', type, id: target.id };
		}
		this.store.setDeleted(type, target.id, true, this.now(), this.config.deleteBumpsUpdatedAt);
		return { op: 'delete', type, id: target.id };
	}

	readonly control: SimulatorControl = {
		reset: () => {
			this.config = cloneConfig(this.initialConfig);
			this.zone = zoneFor(this.config.timezone);
			this.accountZone = zoneFor(this.config.accountTimezone ?? this.config.timezone);
			this.lagRng = new Random(60_000);
			this.tieRng = new Random(4242);
			this.lagStep = 0;
			this.clock = new SimClock(this.initialClock ? parseControlInstant(this.initialClock, 'clock') : Date.now());
			this.store.clear();
			this.apiKeys.clear();
			this.accessTokens.clear();
			this.refreshTokens.clear();
			this.authCodes.clear();
			this.loginFailures.clear();
			this.v5Pages.clear();
			this.faults = [];
			this.statsData = emptyStats();
			this.daily = { day: '', count: 0 };
			this.rng = new Random(20260214);
			return { ok: true };
		},
		configure: (patch) => {
			this.applyConfig(patch ?? {});
			return cloneConfig(this.config);
		},
		clock: (options = {}) => {
			if (options.set !== undefined) this.clock.set(parseControlInstant(options.set, 'set'));
			if (options.advanceMs !== undefined) {
				if (!Number.isFinite(options.advanceMs)) throw new Error('advanceMs must be a number');
				this.clock.set(this.now() + options.advanceMs);
			}
			if (options.freeze !== undefined) this.clock.freeze(Boolean(options.freeze));
			return { now: renderUtcIso(this.now()), frozen: this.clock.frozen };
		},
		seed: (options = {}) => this.seedRecords(options),
		create: (options: WriteOptions) => {
			const type = this.checkType(options?.type);
			const record = this.store.create(
				type,
				this.store.normalizeFields(type, options.fields),
				this.writeAt(options.at),
				options.id,
			);
			return this.simRecord(type, record.id);
		},
		update: (options) => {
			const type = this.checkType(options?.type);
			this.store.update(type, options.id, this.store.normalizeFields(type, options.fields), this.writeAt(options.at));
			return this.simRecord(type, options.id);
		},
		delete: (options) => {
			const type = this.checkType(options?.type);
			this.store.setDeleted(type, options.id, true, this.writeAt(options.at), this.config.deleteBumpsUpdatedAt);
			return this.simRecord(type, options.id);
		},
		undelete: (options) => {
			const type = this.checkType(options?.type);
			this.store.setDeleted(type, options.id, false, this.writeAt(options.at), this.config.deleteBumpsUpdatedAt);
			return this.simRecord(type, options.id);
		},
		records: (options) => {
			const type = this.checkType(options?.type);
			return this.store
				.latest(type)
				.filter((v) => options.deleted === undefined || v.deleted === options.deleted)
				.sort((a, b) => a.id - b.id)
				.map((v) => this.store.toSimRecord(v));
		},
		fault: (spec) => {
			const kinds = ['pardotError', 'http', 'html', 'truncated', 'reset', 'delay'];
			if (!spec || !kinds.includes(spec.kind)) throw new Error(`fault kind must be one of ${kinds.join(', ')}`);
			this.faults.push({ ...spec, remaining: Math.max(1, Math.floor(spec.count ?? 1)) });
			return { ok: true, pending: this.faults.reduce((n, f) => n + f.remaining, 0) };
		},
		stats: () => ({ total: this.statsData.total, byEndpoint: { ...this.statsData.byEndpoint } }),
		resetStats: () => {
			this.statsData = emptyStats();
			return { total: 0, byEndpoint: { ...this.statsData.byEndpoint } };
		},
		usage: () => this.usage(),
		tokens: (options) => {
			let expired = 0;
			if (options?.expire) {
				const past = this.now() - 1;
				for (const info of this.apiKeys.values()) {
					info.expiresAt = Math.min(info.expiresAt, past);
					expired++;
				}
				for (const info of this.accessTokens.values()) {
					info.expiresAt = Math.min(info.expiresAt, past);
					expired++;
				}
			}
			return { expired };
		},
	};
}
