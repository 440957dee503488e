/** Public option and record types of the Pardot simulator (see ARCHITECTURE.md, "The simulator contract"). */

export type RecordType = 'prospect' | 'opportunity';

export interface SimUser {
	email: string;
	password: string;
	userKey: string;
}

export interface SimOAuthClient {
	clientId: string;
	clientSecret: string;
	/** Allowed redirect URIs for the authorization-code flow; empty or absent allows any. */
	redirectUris?: string[];
	/** Whether the client-credentials flow is enabled for this connected app (default true). */
	clientCredentials?: boolean;
}

export interface SimulatorConfig {
	/** IANA zone of the API user; v3/v4 render and parse local times in it. */
	timezone: string;
	/** Whether `*_after`/`*_before` date filters compare strictly (>, <) or inclusively (>=, <=). Unconfirmed in Pardot. */
	updatedAfter: 'strict' | 'inclusive';
	/** A write becomes visible to v5 reads only this long after it happened. */
	v5ReadLagMs: number;
	/** Lifetime of a legacy api_key, in simulated time. */
	apiKeyLifetimeMs: number;
	/** HTTP status sent with error 1 for an expired or unknown api_key (Pardot has been seen sending 200, 400, 401). */
	expiredKeyStatus: number;
	/** Whether moving a record to or from the recycle bin sets its updatedAt. Unconfirmed in Pardot. */
	deleteBumpsUpdatedAt: boolean;
	/** v3/v4 with no match: omit the record key, or answer `"result": null`. */
	emptyResult: 'omit' | 'null';
	/** Added to every API answer (real milliseconds). */
	latencyMs: number;
	/** Which legacy version the account must use (the other answers error 88/89). */
	accountVersion: 3 | 4;
	/** Salesforce retired Pardot-only logins on 2021-02-15: real accounts answer error 199. */
	legacyLoginRetired: boolean;
	/** OAuth access token lifetime in simulated time. */
	accessTokenLifetimeMs: number;
	/** Pardot allows 5 concurrent API requests; the 6th in flight gets error 66. */
	maxConcurrentRequests: number;
	/** Daily API call allocation (resets at account-local midnight); 0 = unlimited. */
	dailyApiLimit: number;
	/** Failed logins before the account is locked (error 131). */
	maxFailedLogins: number;
	/** How long a lock lasts, in simulated time. */
	lockoutMs: number;
	/** Lifetime of a v5 nextPageToken (Pardot: 4 hours). */
	v5PageTokenLifetimeMs: number;
	/** A v5 token sequence stops after this many records (Pardot: 100,000). */
	v5MaxRecordsPerQuery: number;
	users: SimUser[];
	oauthClients: SimOAuthClient[];
	businessUnits: string[];
}

export interface SimulatorOptions extends Partial<SimulatorConfig> {
	/** 0 = a free port (default). */
	port?: number;
	/** Interface to bind (default 127.0.0.1). */
	host?: string;
	/** ISO start of the simulated clock (default: real now). */
	clock?: string;
}

export type ConfigurePatch = Partial<SimulatorConfig> & { clock?: string };

export const DEFAULT_USER: SimUser = {
	email: 'demo@example.com',
	password: 'demo-password',
	userKey: '0123456789abcdef0123456789abcdef',
};

export const DEFAULT_OAUTH_CLIENT: SimOAuthClient = {
	clientId: 'demo-client-id',
	clientSecret: 'demo-client-secret',
};

export const DEFAULT_BUSINESS_UNIT = '0Uv000000000001AAA';

export function defaultConfig(): SimulatorConfig {
	return {
		timezone: 'UTC',
		updatedAfter: 'strict',
		v5ReadLagMs: 0,
		apiKeyLifetimeMs: 3_600_000,
		expiredKeyStatus: 401,
		deleteBumpsUpdatedAt: true,
		emptyResult: 'omit',
		latencyMs: 0,
		accountVersion: 4,
		legacyLoginRetired: false,
		accessTokenLifetimeMs: 2 * 3_600_000,
		maxConcurrentRequests: 5,
		dailyApiLimit: 0,
		maxFailedLogins: 5,
		lockoutMs: 30 * 60_000,
		v5PageTokenLifetimeMs: 4 * 3_600_000,
		v5MaxRecordsPerQuery: 100_000,
		users: [{ ...DEFAULT_USER }],
		oauthClients: [{ ...DEFAULT_OAUTH_CLIENT }],
		businessUnits: [DEFAULT_BUSINESS_UNIT],
	};
}

/** A record as the control API reports it: UTC ISO dates, camelCase field names (v5 names). */
export interface SimRecord {
	type: RecordType;
	id: number;
	createdAt: string;
	updatedAt: string;
	deleted: boolean;
	[field: string]: unknown;
}

export type FaultKind = 'pardotError' | 'http' | 'html' | 'truncated' | 'reset' | 'delay';

export interface FaultSpec {
	count?: number;
	path?: string;
	kind: FaultKind;
	code?: number;
	status?: number;
	delayMs?: number;
	message?: string;
}

export interface SimStats {
	total: number;
	byEndpoint: Record<string, number>;
}

export interface SeedOptions {
	prospects?: number;
	opportunities?: number;
	at?: string;
	spreadMs?: number;
}

export interface WriteOptions {
	type: RecordType;
	id?: number;
	fields?: Record<string, unknown>;
	at?: string;
}

export interface SimulatorControl {
	reset(): { ok: true };
	configure(patch: ConfigurePatch): SimulatorConfig;
	clock(options?: { set?: string; advanceMs?: number; freeze?: boolean }): { now: string; frozen: boolean };
	seed(options?: SeedOptions): { prospectIds: number[]; opportunityIds: number[] };
	create(options: WriteOptions): SimRecord;
	update(options: WriteOptions & { id: number }): SimRecord;
	delete(options: { type: RecordType; id: number; at?: string }): SimRecord;
	undelete(options: { type: RecordType; id: number; at?: string }): SimRecord;
	records(options: { type: RecordType; deleted?: boolean }): SimRecord[];
	fault(spec: FaultSpec): { ok: true; pending: number };
	stats(): SimStats;
	resetStats(): SimStats;
	tokens(options: { expire: boolean }): { expired: number };
}

export interface SimulatorHandle {
	baseUrl: string;
	port: number;
	control: SimulatorControl;
	close(): Promise<void>;
}
