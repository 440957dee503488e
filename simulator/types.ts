/** Public option and record types of the Pardot simulator (see ARCHITECTURE.md, "The simulator contract"). */

/** The objects the simulator keeps (control API `type`); see objects.ts and docs/pardot-objects.md. */
export type RecordType = 'prospect' | 'opportunity' | 'visitorActivity' | 'listMembership' | 'list' | 'campaign' | 'visitor' | 'user';

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

	// ----- Behaviours Pardot documents, and switches for what it leaves silent (see README.md) -----

	/** A login while the user's api_key is still valid returns that same key (documented); false mints a new key every time. */
	legacyLoginReusesKey: boolean;
	/** Error code for a wrong user key at login: 15 "Login failed" (documented) or 1 (what the simulator used to answer). */
	legacyWrongUserKeyCode: 15 | 1;
	/** v3/v4 opportunity query and `deleted` (documented for prospects only): filter on the recycle bin, or ignore it like any unknown parameter. Unconfirmed. */
	legacyOpportunityDeleted: 'honour' | 'ignore';
	/** v3/v4 parameters the object's documented criteria do not list, beside recognised ones: error 5 ('reject'), or dropped ('ignore'). (None recognised at all is always error 5, as documented.) Unconfirmed. */
	legacyUnknownParams: 'ignore' | 'reject';
	/** Order of v3/v4 records that tie on the sort key: id ascending, id in the sort's direction, or arbitrary (changes between requests). Unconfirmed. */
	legacyTieOrder: 'idAscending' | 'sortDirection' | 'arbitrary';
	/** HTTP status sent with errors 66 and 122 on v3/v4 (errors live in the body; the status is undocumented). */
	legacyLimitStatus: number;
	/** HTTP status sent with errors 66 and 122 on v5 (documented only as "4xx"). */
	v5LimitStatus: number;
	/** Which Salesforce login host `/services/oauth2` plays: the org's My Domain, or login.salesforce.com / test.salesforce.com, which refuse the client credentials flow. */
	loginHost: 'myDomain' | 'generic';
	/** 'fixed': every v5 read sees the data as it was v5ReadLagMs ago. 'cache': each read comes from the primary or from a cache up to v5ReadLagMs behind, chosen per request (documented; reads are not monotonic). */
	v5LagModel: 'fixed' | 'cache';
	/** With v5LagModel 'cache': staleness in ms of successive v5 reads, used in turn and repeated (0 = the primary). Empty: drawn at random from a seeded generator. */
	v5LagSequenceMs: number[];
	/** Code in the `Pardot-Warning` header sent when a v5 token sequence stops at v5MaxRecordsPerQuery (documented 203). */
	v5PageLimitWarningCode: number;
	/** Zone whose midnight resets the daily API limit ("the account time zone"); null = `timezone`. */
	accountTimezone: string | null;
	/** Whether v3/v4 logins count against dailyApiLimit (OAuth tokens come from Salesforce and never do). Unconfirmed. */
	dailyLimitCountsLogins: boolean;
	/** Added to the simulated clock in the `Date` header (a front end whose clock differs from the one that stamps records). */
	dateHeaderOffsetMs: number;
	/** Each API answer's `Date` header is off by a further seeded draw, uniform in whole ms over [-dateHeaderJitterMs, +dateHeaderJitterMs] (front ends whose clocks differ per request). A guess. */
	dateHeaderJitterMs: number;
	/** How v5 page tokens continue: 'keyset' strictly after the last (sort key, id) returned; 'offset' re-runs the query on the data visible then and skips as many records as were returned (a record leaving the range skips one, one entering it repeats one). Undocumented. */
	v5PageTokens: 'keyset' | 'offset';
	/** v3/v4 queries see the records as they were this long ago (0: the latest data, as before). Undocumented for v3/v4. */
	legacyReadLagMs: number;
	/** Like v5LagModel, for v3/v4 queries and legacyReadLagMs. */
	legacyLagModel: 'fixed' | 'cache';
	/** Like v5LagSequenceMs, for v3/v4 queries (legacyLagModel 'cache'); empty: seeded random draws of their own. */
	legacyLagSequenceMs: number[];
	/** The simulated clock (frozen or not) moves on by this much as each Pardot API request (`/api/...`) arrives: time passes while a client pages. */
	clockStepPerRequestMs: number;
	/** Versions kept per record (history, lagged reads, records asOf); the oldest go first. */
	maxRecordVersions: number;
	/**
	 * Late-visible writes (Pardot: v5 reads may lag writes by up to 60 s), per write rather than per read:
	 * the share (0..1) of writes (every new version: creates, updates, deletes, undeletes, import rows) that
	 * become visible late, after a delay drawn uniformly in (0, lateWriteMaxMs] from a seeded generator of
	 * its own. A late version carries its true `at` and updatedAt; a read (at `now`, with its own staleness
	 * s) sees, for each record, the last version written whose visibleAt is at or before now − s. 0: every
	 * write visible at once, as before (no draws).
	 */
	lateWriteShare: number;
	/** The largest delay of a late write (ms; default 60,000, Pardot's documented lag). */
	lateWriteMaxMs: number;
	/** For tests: the delays (ms) of successive writes, used in turn and repeated (0 = at once), overriding lateWriteShare. Empty: lateWriteShare draws. */
	lateWriteSequenceMs: number[];
	/** Which reads late writes apply to: 'v5' (queries and reads by id), or 'all' (v3/v4 queries too, their total_results and offsets included). Writes and the control API always see the latest data. */
	lateWriteApis: 'v5' | 'all';

	// ----- The objects beyond prospects and opportunities (docs/pardot-objects.md): unconfirmed query features -----

	/** v5 visitor-activities accepts a `type` filter (comma-separated codes). No documentation read confirms it: off (400, unknown parameter). */
	v5ActivityTypeFilter: boolean;
	/** v5 visitor-activities accepts a `prospectId` filter. Unconfirmed: off (400, unknown parameter). */
	v5ActivityProspectFilter: boolean;
	/** v5 list-memberships accepts `listId` and `prospectId` filters (used by public clients, unconfirmed): on. */
	v5MembershipFilters: boolean;
	/** v5 campaigns filter and sort on createdAt/updatedAt (current docs, per integrations); off = the 2021 page: `id` filters and `orderBy=id` only. */
	v5CampaignDateQueries: boolean;
	/** v5 visitors filter and sort on createdAt/updatedAt (sent by one integration, avoided by another): on; off = `id` only. */
	v5VisitorDateQueries: boolean;
	/** How v3/v4 render boolean fields of the new objects (`opted_out`, `is_public`...): documented as integers (1/0), printed as true/false in the examples. */
	legacyBooleans: 'boolean' | 'integer';

	// ----- Writes (docs/pardot-api-notes.md, "Writing"): what Pardot leaves unconfirmed -----

	/** Whether the account allows multiple prospects with the same email address (AMPSEA). null: as `accountVersion` says (4 = AMPSEA, the reason version 4 exists). Off: a create or an email change to an address a live prospect has is refused (9 / 54). */
	ampsea: boolean | null;
	/** Which prospect v5 `upsertLatestByEmail` (and an Import's `matchEmail`) updates when several share the email: the latest `lastActivityAt` (the operation's name in the v5 object table; then `updatedAt`), or the latest `updatedAt` (the wording of Pardot's "Transitioning to V5"). Unconfirmed which. */
	v5UpsertMatch: 'latestActivity' | 'latestUpdated';
	/** HTTP status of a v5 `upsertLatestByEmail` that updated a prospect: 201 Created or 200 OK (`byOutcome`: 201 when it created one, 200 when it updated one), or 201 always. Undocumented. */
	v5UpsertStatus: 'byOutcome' | 'always201';
	/** Whether a write may opt a list member back in (`opted_out=0` / `optedOut: false` on an opted-out membership): `ignored` as reported in pardot/api-docs#125 (v3/v4; Pardot support can enable it per account), or `applied`. */
	membershipOptIn: 'ignored' | 'applied';
	/** The account has a Salesforce connector: v3/v4 opportunity create, update, delete and undelete answer error 37 (documented: opportunities can then be read only). */
	salesforceConnector: boolean;
	/** Whether a v3/v4 opportunity create needs `campaign_id` (the field reference marks it required; the operation table lists only name, value, probability). */
	legacyOpportunityRequiresCampaign: boolean;
	/** Import API: how long an import stays `Waiting` after it is submitted (simulated ms). */
	importWaitMs: number;
	/** Import API: how long `Processing` lasts; its rows are applied one by one, evenly spread over it (simulated ms). */
	importProcessingMs: number;
}

/** Pardot editions and their documented daily API call limits. */
export type PardotEdition = 'growth' | 'plus' | 'advanced' | 'premium';

export const DAILY_API_LIMITS: Record<PardotEdition, number> = {
	growth: 25_000,
	plus: 50_000,
	advanced: 100_000,
	premium: 100_000,
};

export interface SimulatorOptions extends Partial<SimulatorConfig> {
	/** Start from the "real account" preset for this edition (see realAccount()); other options override it. */
	realAccount?: PardotEdition;
	/** 0 = a free port (default). */
	port?: number;
	/** Interface to bind (default 127.0.0.1). */
	host?: string;
	/** ISO start of the simulated clock (default: real now). */
	clock?: string;
}

export type ConfigurePatch = Partial<SimulatorConfig> & { clock?: string; realAccount?: PardotEdition };

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
		legacyLoginReusesKey: true,
		legacyWrongUserKeyCode: 15,
		legacyOpportunityDeleted: 'honour',
		legacyUnknownParams: 'reject',
		legacyTieOrder: 'idAscending',
		legacyLimitStatus: 200,
		v5LimitStatus: 400,
		loginHost: 'myDomain',
		v5LagModel: 'fixed',
		v5LagSequenceMs: [],
		v5PageLimitWarningCode: 203,
		accountTimezone: null,
		dailyLimitCountsLogins: false,
		dateHeaderOffsetMs: 0,
		dateHeaderJitterMs: 0,
		v5PageTokens: 'keyset',
		legacyReadLagMs: 0,
		legacyLagModel: 'fixed',
		legacyLagSequenceMs: [],
		clockStepPerRequestMs: 0,
		maxRecordVersions: 1_000,
		lateWriteShare: 0,
		lateWriteMaxMs: 60_000,
		lateWriteSequenceMs: [],
		lateWriteApis: 'v5',
		v5ActivityTypeFilter: false,
		v5ActivityProspectFilter: false,
		v5MembershipFilters: true,
		v5CampaignDateQueries: true,
		v5VisitorDateQueries: true,
		legacyBooleans: 'boolean',
		ampsea: null,
		v5UpsertMatch: 'latestActivity',
		v5UpsertStatus: 'byOutcome',
		membershipOptIn: 'ignored',
		salesforceConnector: false,
		legacyOpportunityRequiresCampaign: false,
		importWaitMs: 0,
		importProcessingMs: 0,
	};
}

/**
 * What Pardot documents for a real account that the defaults leave off (they would slow or break
 * tests that do not ask for them): the edition's daily API call limit and v5 reads served from a
 * cache up to 60 s behind, not monotonic. Unconfirmed behaviours keep their defaults.
 */
export function realAccount(edition: PardotEdition = 'growth'): Partial<SimulatorConfig> {
	if (!Object.prototype.hasOwnProperty.call(DAILY_API_LIMITS, edition)) {
		throw new Error(`realAccount must be one of ${Object.keys(DAILY_API_LIMITS).join(', ')}`);
	}
	return {
		dailyApiLimit: DAILY_API_LIMITS[edition],
		maxConcurrentRequests: 5,
		legacyLoginReusesKey: true,
		legacyWrongUserKeyCode: 15,
		v5LagModel: 'cache',
		v5ReadLagMs: 60_000,
		v5MaxRecordsPerQuery: 100_000,
		v5PageTokenLifetimeMs: 4 * 3_600_000,
	};
}

/**
 * A record as the control API reports it: UTC ISO dates, camelCase field names (v5 names), every
 * field (unset ones null). `type` is the record type, except for the objects that have a field of that
 * name, where the field wins: an opportunity's type ("New Business") and a visitor activity's type
 * code (4). `recordType` is always the record type.
 */
export interface SimRecord {
	type: unknown;
	recordType: RecordType;
	id: number;
	createdAt: string;
	updatedAt: string;
	deleted: boolean;
	[field: string]: unknown;
}

/** `reset` drops the connection before the request reaches its handler; `resetAfter` lets the handler run (a write happens) and then drops it, unanswered. */
export type FaultKind = 'pardotError' | 'http' | 'html' | 'truncated' | 'reset' | 'resetAfter' | 'delay';

export interface FaultSpec {
	count?: number;
	path?: string;
	kind: FaultKind;
	code?: number;
	status?: number;
	delayMs?: number;
	message?: string;
}

/** One request as the onRequest hook and the request log see it. */
export interface SimRequest {
	/** As control.stats() names it (`login`, `prospect.query`, `v5.prospects`, `oauth.token`...; `other` for the rest). */
	endpoint: string;
	method: string;
	/** The URL path, without the query string. */
	path: string;
	/**
	 * The parameters as Pardot reads them: the query string merged with a form-urlencoded body (the
	 * body wins; one value per name, the last). Secrets (`password`, `user_key`, `api_key`,
	 * `client_secret`, `code`, `refresh_token`) are shown as `***`.
	 */
	query: Record<string, string>;
}

/** control.requests(): one API request and its answer. */
export interface SimRequestLogEntry extends SimRequest {
	/** HTTP status of the answer; 0 while it is not answered yet, or when the connection was dropped (fault `reset`). */
	status: number;
	/** Simulated time (UTC ISO) when the request arrived, after clockStepPerRequestMs. */
	at: string;
}

/** In process only: called before a request reaches its handler (control.onRequest). */
export type RequestHook = (request: SimRequest) => void;

/** control.history(): one stored version of a record. */
export interface SimVersion {
	/** When the version was written (the `at` of the write; UTC ISO). */
	writtenAt: string;
	/** A late write only (lateWriteShare, lateWriteSequenceMs): when the reads late writes apply to first see it (writtenAt + its delay; UTC ISO). Absent: visible at once, at writtenAt. */
	visibleAt?: string;
	record: SimRecord;
}

export interface SimStats {
	total: number;
	byEndpoint: Record<string, number>;
	/** The most Pardot API requests that were in flight at once (refused ones included). */
	maxInFlight: number;
}

/** The daily API allocation as Pardot counts it (control.usage()). */
export interface SimUsage {
	/** Account-local day the count belongs to (YYYY-MM-DD). */
	day: string;
	used: number;
	/** 0 = unlimited. */
	limit: number;
	/** UTC ISO instant of the next reset (account-local midnight). */
	resetsAt: string;
}

export interface SeedOptions {
	prospects?: number;
	opportunities?: number;
	campaigns?: number;
	lists?: number;
	visitors?: number;
	/** Between the live prospects and lists (seeded first in the same call); a few are opted out. */
	listMemberships?: number;
	/** Form submissions, email sends, opens and clicks, visits, file and landing page views... */
	visitorActivities?: number;
	at?: string;
	spreadMs?: number;
}

export interface SeedResult {
	prospectIds: number[];
	opportunityIds: number[];
	campaignIds: number[];
	listIds: number[];
	visitorIds: number[];
	listMembershipIds: number[];
	visitorActivityIds: number[];
}

/** A prospect's membership of a list (control.addToList / removeFromList / optOut). */
export interface MembershipOptions {
	listId: number;
	prospectId: number;
	at?: string;
}

/**
 * control.activity(): a visitor activity from its v5 field names (`type` is the activity type code,
 * e.g. 4 Success with `formId` for a form submission); `typeName` follows from the ids when absent.
 */
export interface ActivityOptions {
	type: number;
	prospectId?: number | null;
	visitorId?: number | null;
	campaignId?: number | null;
	at?: string;
	[field: string]: unknown;
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
	seed(options?: SeedOptions): SeedResult;
	create(options: WriteOptions): SimRecord;
	update(options: WriteOptions & { id: number }): SimRecord;
	delete(options: { type: RecordType; id: number; at?: string }): SimRecord;
	undelete(options: { type: RecordType; id: number; at?: string }): SimRecord;
	/** Every record, latest version; with `asOf` (ISO), the version written at or before that instant (records not written by then are absent). */
	records(options: { type: RecordType; deleted?: boolean; asOf?: string }): SimRecord[];
	/** Every stored version of one record, in the order written (oldest first; at most maxRecordVersions). */
	history(options: { type: RecordType; id: number }): SimVersion[];
	/** Adds the prospect to the list: a new membership, or the removed one back from the recycle bin (same id, updatedAt set). */
	addToList(options: MembershipOptions & { optedOut?: boolean }): SimRecord;
	/** Removes the prospect from the list: its membership goes to the recycle bin. */
	removeFromList(options: MembershipOptions): SimRecord;
	/** Opts the member out of (or back into) the list's emails. */
	optOut(options: MembershipOptions & { optedOut?: boolean }): SimRecord;
	/** A visitor activity (shorthand of create). */
	activity(options: ActivityOptions): SimRecord;
	fault(spec: FaultSpec): { ok: true; pending: number };
	stats(): SimStats;
	/** Zeroes the stats and empties the request log. */
	resetStats(): SimStats;
	/** Every request since the last reset() or resetStats() (the last 50,000), oldest first; `/__sim/` calls are not in it. */
	requests(): SimRequestLogEntry[];
	/**
	 * In process only (not over HTTP): `fn` runs synchronously before each Pardot API request
	 * (`/api/...`, not OAuth or `/__sim/`) reaches its handler, so writes it makes through this control
	 * API land before the request reads. `undefined` removes it; reset() does too.
	 */
	onRequest(fn: RequestHook | undefined): { ok: true };
	usage(): SimUsage;
	tokens(options: { expire: boolean }): { expired: number };
}

export interface SimulatorHandle {
	baseUrl: string;
	port: number;
	control: SimulatorControl;
	close(): Promise<void>;
}
