/**
 * The simulator's state: options, clock, records, sessions, pending faults, request stats and the
 * daily API count, with the rules that read them (daily limit, v5 read lag, tie order). No HTTP here
 * (server.ts) and no control operations (control.ts); handlers see it as a HandlerState.
 */
import type { IANAZone } from 'luxon';

import { SimClock } from './clock';
import { cloneConfig, expandPreset, validateConfig } from './config';
import { ENDPOINTS, type HandlerState } from './context';
import { Random } from './data';
import { PardotError } from './errors';
import { ImportJobs } from './jobs';
import { SEEDED_USERS } from './objects';
import { Sessions } from './sessions';
import { Store } from './store';
import { localDayKey, nextLocalMidnight, parseControlInstant, renderUtcIso, zoneFor } from './time';
import {
	defaultConfig,
	type ConfigurePatch,
	type FaultSpec,
	type RequestHook,
	type SimRequest,
	type SimRequestLogEntry,
	type SimStats,
	type SimUsage,
	type SimulatorConfig,
	type SimulatorOptions,
} from './types';

/** A `control.fault()` that has not hit all its requests yet. */
export interface PendingFault extends FaultSpec {
	remaining: number;
}

function emptyStats(): SimStats {
	const byEndpoint: Record<string, number> = {};
	for (const name of ENDPOINTS) byEndpoint[name] = 0;
	return { total: 0, byEndpoint, maxInFlight: 0 };
}

/** When the seeded users were created (2020-01-01T00:00:00Z). */
const USERS_CREATED_AT = Date.UTC(2020, 0, 1);

/** Seeds of the generators, so that every start and every reset() gives the same sample data. */
const SAMPLE_SEED = 20260214;
const LAG_SEED = 60_000;
const TIE_SEED = 4242;
const LEGACY_LAG_SEED = 30_000;
const DATE_SEED = 1_000;
const LATE_WRITE_SEED = 90_000;

/** control.requests() keeps the last this many requests. */
const REQUEST_LOG_LIMIT = 50_000;

/** A request in the log: `at` in simulated ms until control.requests() renders it. */
interface LoggedRequest extends SimRequest {
	status: number;
	at: number;
}

/**
 * The staleness draws of one read-lag model (v5 or v3/v4): 'fixed' is always the maximum; 'cache'
 * takes a configured sequence in turn, or draws from a seeded generator of its own.
 */
class LagDraws {
	private rng: Random;
	private step = 0;

	constructor(private readonly seed: number) {
		this.rng = new Random(seed);
	}

	/** Back to the first draw (reset()). */
	restart(): void {
		this.rng = new Random(this.seed);
		this.step = 0;
	}

	/** A new sequence starts from its first entry. */
	restartSequence(): void {
		this.step = 0;
	}

	next(max: number, model: 'fixed' | 'cache', sequence: readonly number[]): number {
		if (model === 'fixed') return max;
		if (sequence.length > 0) return sequence[this.step++ % sequence.length];
		// Half the reads from the primary, half from a cache between 0 and max behind.
		return this.rng.next() < 0.5 ? 0 : Math.round(this.rng.next() * max);
	}
}

/**
 * The delays of writes (late-visible writes): a configured sequence in turn, or, for a share of the
 * writes, a draw uniform in (0, max] from a seeded generator of its own; no draw while the share is 0.
 */
class LateWriteDraws {
	private rng = new Random(LATE_WRITE_SEED);
	private step = 0;

	/** Back to the first draw (reset()). */
	restart(): void {
		this.rng = new Random(LATE_WRITE_SEED);
		this.step = 0;
	}

	/** A new sequence starts from its first entry. */
	restartSequence(): void {
		this.step = 0;
	}

	next(share: number, max: number, sequence: readonly number[]): number {
		if (sequence.length > 0) return sequence[this.step++ % sequence.length];
		if (share <= 0 || this.rng.next() >= share) return 0;
		// Whole ms in (0, max] (max itself when max is not whole: the top of the range).
		return max - Math.floor(this.rng.next() * max);
	}
}

export class SimState implements HandlerState {
	config: SimulatorConfig;
	zone: IANAZone;
	/** Zone whose midnight resets the daily API count (accountTimezone, else timezone). */
	accountZone: IANAZone;
	clock: SimClock;
	readonly store = new Store();
	readonly sessions = new Sessions();
	readonly imports = new ImportJobs();
	/** Sample data for seed() and the CLI's change stream. */
	sampleRng = new Random(SAMPLE_SEED);
	/** Separate generators, so that the read lags, tie order and Date jitter never shift the sample data or each other. */
	private readonly v5Lag = new LagDraws(LAG_SEED);
	private readonly legacyLag = new LagDraws(LEGACY_LAG_SEED);
	private readonly lateWrites = new LateWriteDraws();
	private tieRng = new Random(TIE_SEED);
	private dateRng = new Random(DATE_SEED);
	private faults: PendingFault[] = [];
	private statsData = emptyStats();
	private requestLog: LoggedRequest[] = [];
	/** control.onRequest (in process only). */
	requestHook: RequestHook | undefined;
	private daily = { day: '', count: 0 };
	private readonly initialConfig: SimulatorConfig;
	private readonly initialClock: string | undefined;

	constructor(options: SimulatorOptions = {}) {
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
		this.store.maxVersions = this.config.maxRecordVersions;
		this.seedUsers();
		this.store.writeDelay = () => this.lateWriteDelay();
	}

	/**
	 * The account's users (SEEDED_USERS), created at USERS_CREATED_AT, long before any clock a test sets:
	 * visible to every read whatever its lag, and no late-write delay drawn for them (the draws stay the tests' own).
	 */
	private seedUsers(): void {
		const delay = this.store.writeDelay;
		this.store.writeDelay = undefined;
		const at = USERS_CREATED_AT;
		for (const fields of SEEDED_USERS) this.store.create('user', { ...fields }, at);
		this.store.writeDelay = delay;
	}

	now(): number {
		return this.clock.now();
	}

	/** control.configure: a patch over the current options (a preset under it), checked before it applies. */
	configure(patch: ConfigurePatch): void {
		const { clock, ...rest } = expandPreset(patch as ConfigurePatch & { port?: unknown; host?: unknown });
		delete (rest as Record<string, unknown>).port;
		delete (rest as Record<string, unknown>).host;
		const next = cloneConfig({ ...this.config, ...(rest as Partial<SimulatorConfig>) });
		const zone = zoneFor(next.timezone);
		const accountZone = zoneFor(next.accountTimezone ?? next.timezone);
		validateConfig(next);
		if ((rest as Partial<SimulatorConfig>).v5LagSequenceMs !== undefined) this.v5Lag.restartSequence();
		if ((rest as Partial<SimulatorConfig>).legacyLagSequenceMs !== undefined) this.legacyLag.restartSequence();
		if ((rest as Partial<SimulatorConfig>).lateWriteSequenceMs !== undefined) this.lateWrites.restartSequence();
		this.config = next;
		this.store.maxVersions = next.maxRecordVersions;
		this.zone = zone;
		this.accountZone = accountZone;
		if (clock !== undefined) this.clock.set(parseControlInstant(clock, 'clock'));
	}

	/** control.reset: back to the start options and clock, with no records, sessions, faults or counts. */
	reset(): void {
		this.config = cloneConfig(this.initialConfig);
		this.zone = zoneFor(this.config.timezone);
		this.accountZone = zoneFor(this.config.accountTimezone ?? this.config.timezone);
		this.v5Lag.restart();
		this.legacyLag.restart();
		this.lateWrites.restart();
		this.tieRng = new Random(TIE_SEED);
		this.dateRng = new Random(DATE_SEED);
		this.clock = new SimClock(this.initialClock ? parseControlInstant(this.initialClock, 'clock') : Date.now());
		this.store.clear();
		this.store.maxVersions = this.config.maxRecordVersions;
		this.seedUsers();
		this.sessions.clear();
		this.imports.clear();
		this.faults = [];
		this.statsData = emptyStats();
		this.requestLog = [];
		this.requestHook = undefined;
		this.daily = { day: '', count: 0 };
		this.sampleRng = new Random(SAMPLE_SEED);
	}

	// ----- limits and read behaviour -----

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
		return this.v5Lag.next(this.config.v5ReadLagMs, this.config.v5LagModel, this.config.v5LagSequenceMs);
	}

	/**
	 * The same for a v3/v4 read (legacyReadLagMs, legacyLagModel, legacyLagSequenceMs), from draws of
	 * its own. null while that lag is off (no lag and no sequence): v3/v4 then read the latest data, as
	 * they always did, writes dated in the future included.
	 */
	legacyStaleness(): number | null {
		const { legacyReadLagMs: max, legacyLagModel: model, legacyLagSequenceMs: sequence } = this.config;
		if (max <= 0 && (model === 'fixed' || sequence.length === 0)) return null;
		return this.legacyLag.next(max, model, sequence);
	}

	/** How long after it is written a new version becomes visible (lateWriteShare, lateWriteSequenceMs); 0 = at once. */
	lateWriteDelay(): number {
		const { lateWriteShare, lateWriteMaxMs, lateWriteSequenceMs } = this.config;
		return this.lateWrites.next(lateWriteShare, lateWriteMaxMs, lateWriteSequenceMs);
	}

	tieSalt(): number {
		return Math.floor(this.tieRng.next() * 0x7fffffff);
	}

	// ----- faults and stats (the pipeline applies them, the control API sets and reads them) -----

	/** Queues a fault for its next `remaining` matching requests; answers how many requests are pending. */
	addFault(fault: PendingFault): number {
		this.faults.push(fault);
		return this.faults.reduce((n, f) => n + f.remaining, 0);
	}

	/** The first pending fault whose `path` is part of this request path and query, used up by one. */
	takeFault(path: string): PendingFault | null {
		const index = this.faults.findIndex((f) => f.remaining > 0 && (!f.path || path.includes(f.path)));
		if (index < 0) return null;
		const fault = this.faults[index];
		fault.remaining--;
		if (fault.remaining <= 0) this.faults.splice(index, 1);
		return fault;
	}

	// ----- time as the HTTP pipeline sees it -----

	/** clockStepPerRequestMs: the clock, frozen or not, moves on as a Pardot API request arrives. */
	stepClock(): void {
		const step = this.config.clockStepPerRequestMs;
		if (step > 0) this.clock.set(this.now() + step);
	}

	/** The instant a `Date` header shows: the clock, dateHeaderOffsetMs and, for API answers, a seeded jitter. */
	dateHeaderMs(jitter: boolean): number {
		const spread = this.config.dateHeaderJitterMs;
		// Whole milliseconds, uniform over [-spread, +spread]; no draw at all while the jitter is off.
		const off = jitter && spread > 0 ? Math.floor(this.dateRng.next() * (2 * spread + 1)) - spread : 0;
		return this.now() + this.config.dateHeaderOffsetMs + off;
	}

	// ----- the request log -----

	/** Adds a request to the log (status 0 until it is answered); the pipeline sets the status on the entry returned. */
	logRequest(request: SimRequest): { status: number } {
		const entry: LoggedRequest = { ...request, status: 0, at: this.now() };
		this.requestLog.push(entry);
		// Trimmed in batches, so that a long run does not shift the array at every request.
		if (this.requestLog.length > REQUEST_LOG_LIMIT + REQUEST_LOG_LIMIT / 10) {
			this.requestLog.splice(0, this.requestLog.length - REQUEST_LOG_LIMIT);
		}
		return entry;
	}

	requests(): SimRequestLogEntry[] {
		return this.requestLog.slice(-REQUEST_LOG_LIMIT).map((e) => ({
			endpoint: e.endpoint,
			method: e.method,
			path: e.path,
			query: { ...e.query },
			status: e.status,
			at: renderUtcIso(e.at),
		}));
	}

	countRequest(endpoint: string): void {
		this.statsData.total++;
		this.statsData.byEndpoint[endpoint] = (this.statsData.byEndpoint[endpoint] ?? 0) + 1;
	}

	/** A Pardot API request arrived while `inFlight` others (itself included) were being answered. */
	noteInFlight(inFlight: number): void {
		this.statsData.maxInFlight = Math.max(this.statsData.maxInFlight, inFlight);
	}

	stats(): SimStats {
		return { total: this.statsData.total, byEndpoint: { ...this.statsData.byEndpoint }, maxInFlight: this.statsData.maxInFlight };
	}

	resetStats(): SimStats {
		this.statsData = emptyStats();
		this.requestLog = [];
		return this.stats();
	}
}
