/**
 * The Pardot Trigger against a Pardot that misbehaves, as an attacker or a broken network would make it: a small
 * hostile server on 127.0.0.1 (test/lib/hostile.ts) plays Pardot, and the trigger runs in n8n-core's PollContext
 * with n8n-core's own HTTP helpers (test/lib/n8n). What must hold every time: no credential leaves Pardot's host,
 * every read ends, nothing is dropped in silence, and a failed poll keeps its position.
 */
import type { INodeParameters } from 'n8n-workflow';

import { DEFAULT_USER } from '../../../simulator';
import type { Answer, Hostile, LegacyRecord, V5Record } from '../../lib/hostile';
import { bearerToken, byPath, dropMidBody, huge, json, legacyLogin, legacyPage, pardotLegacy, pardotV5, redirect, startHostile, times, trickle } from '../../lib/hostile';
import type { PollRunner } from '../../lib/n8n';
import type { Flavor } from '../../lib/pardot';
import { clearLegacySessions, FAST_RETRIES, triggerRunner } from '../../lib/pardot';

const API_KEY = 'hostile-api-key-5f0e2d9c41b7';
const BEARER = 'hostile-bearer-token-8c1d7e5a93f2';
const SECRETS = [API_KEY, BEARER, DEFAULT_USER.password, DEFAULT_USER.userKey];

let pardot: Hostile;
let other: Hostile;
const runners: PollRunner[] = [];
beforeEach(async () => {
	clearLegacySessions();
	pardot = await startHostile();
	other = await startHostile(json({ ok: true }));
});
afterEach(async () => {
	for (const r of runners.splice(0)) r.close();
	await pardot.close();
	await other.close();
});

/** The object name in a v3/v4 query path: /api/prospect/version/4/do/query -> prospect. */
const legacyKey = (path: string) => /^\/api\/(\w+)\/version/.exec(path)?.[1] ?? 'prospect';

/** Pardot with no records, for every flavor: logins, v3/v4 and v5 queries. */
function emptyPardot(records: () => V5Record[] = () => []): Answer {
	return byPath([
		['/api/login/', legacyLogin(API_KEY)],
		['/api/v5/objects/', pardotV5(records)],
		['/do/query', (req, res) => legacyPage(legacyKey(req.path), [])(req, res)],
	]);
}

function runner(flavor: Flavor, parameters: INodeParameters = {}, transport = {}) {
	const r = triggerRunner(pardot, {
		flavor,
		parameters: { resources: ['contacts'], ...parameters },
		credentials: flavor.startsWith('oauth') ? bearerToken(BEARER) : {},
		transport: { ...FAST_RETRIES, ...transport },
	});
	runners.push(r);
	return r;
}

const description = (error: unknown) => String((error as { description?: unknown })?.description ?? '');

/** Every place a secret could show: the error's message, description, JSON, and the logs. */
function shown(r: PollRunner, error: unknown): string {
	const e = error as { message?: string; description?: string };
	return [e?.message, e?.description, JSON.stringify(error), r.logger.text()].join('\n');
}

/** Every credential-bearing part of the requests a server received. */
function credentialsIn(server: Hostile): string[] {
	return server.requests.flatMap((req) => [String(req.headers.authorization ?? ''), req.body, req.url].filter((part) => SECRETS.some((s) => part.includes(s))));
}

describe('1. a redirect from "Pardot" to another host', () => {
	test('legacy: the login answered 307 to another host: the password and user key go nowhere, the activation fails naming that host', async () => {
		pardot.answer = byPath([['/api/login/', redirect(`${other.baseUrl}/api/login/version/4`, 307)]], emptyPardot());
		const r = runner('legacy-v4');
		const activation = await r.poll();

		expect(other.requests).toEqual([]);
		expect(activation.error?.message).toContain(`redirect to ${other.host}`);
		expect(r.persistedState()).toBe('{}');
		for (const secret of SECRETS) expect(shown(r, activation.error)).not.toContain(secret);
	});

	test.each<Flavor>(['legacy-v4', 'oauth-v4', 'oauth-v5'])(
		'%s: queries answered 302 to another host: no credential goes there, its {"ok":true} is not read as an empty page, the position stays',
		async (flavor) => {
			pardot.answer = emptyPardot();
			const r = runner(flavor);
			expect((await r.poll()).error).toBeUndefined();
			const saved = r.persistedState();

			pardot.answer = byPath([['/api/login/', legacyLogin(API_KEY)]], (req, res) => redirect(`${other.baseUrl}${req.url}`)(req, res));
			const poll = await r.poll();

			expect(credentialsIn(other)).toEqual([]);
			expect(other.requests).toEqual([]);
			expect(poll.error?.message).toContain(`redirect to ${other.host}`);
			expect(description(poll.error)).toMatch(/Base URL/);
			expect(r.persistedState()).toBe(saved);
			for (const secret of SECRETS) expect(shown(r, poll.error)).not.toContain(secret);
		},
	);

	test.each<Flavor>(['legacy-v4', 'oauth-v5'])('%s: an answer that is not Pardot\'s ({"ok":true}) is not an empty page: the poll fails, the position stays', async (flavor) => {
		pardot.answer = emptyPardot();
		const r = runner(flavor);
		expect((await r.poll()).error).toBeUndefined();
		const saved = r.persistedState();

		pardot.answer = byPath([['/api/login/', legacyLogin(API_KEY)]], json({ ok: true }));
		const poll = await r.poll();

		expect(poll.error?.message).toBe('Pardot returned an unexpected response (HTTP 200)');
		expect(description(poll.error)).toMatch(/without Pardot's/);
		expect(r.persistedState()).toBe(saved);
	});
});

/** Resolves with what `promise` gives, or with 'still running' after `ms`. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | 'still running'> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<'still running'>((resolve) => {
		timer = setTimeout(() => resolve('still running'), ms);
	});
	try {
		return await Promise.race([promise, late]);
	} finally {
		clearTimeout(timer);
	}
}

/** Activates a runner against an empty Pardot, then lets `answer` play Pardot's queries (logins still succeed). */
async function activated(flavor: Flavor, answer: Answer, transport = {}) {
	pardot.answer = emptyPardot();
	const r = runner(flavor, {}, transport);
	expect((await r.poll()).error).toBeUndefined();
	const saved = r.persistedState();
	pardot.requests.length = 0;
	pardot.answer = byPath([['/api/login/', legacyLogin(API_KEY)]], answer);
	return { r, saved };
}

describe('2. an answer that never ends, or is huge, or breaks off', () => {
	test.each<Flavor>(['legacy-v4', 'oauth-v5'])(
		'%s: headers, then a byte every 500 ms: the request ends at its total deadline (1.5 s), is retried once, and the poll fails with the position unchanged',
		async (flavor) => {
			const { r, saved } = await activated(flavor, trickle(500), { timeoutMs: 1500, retries: 1 });
			const started = Date.now();
			const poll = await within(10_000, r.poll());

			expect(poll).not.toBe('still running');
			const elapsed = Date.now() - started;
			expect(elapsed).toBeGreaterThanOrEqual(2 * 1500);
			expect(elapsed).toBeLessThan(2 * 1500 + 3000);
			const error = (poll as Exclude<typeof poll, string>).error;
			expect(error?.message).toMatch(/^Pardot at 127\.0\.0\.1:\d+ did not answer in time \(ETIMEDOUT\)$/);
			expect(description(error)).toContain('1.5 s in all, from sending it to the last byte of the answer');
			expect(pardot.requests.filter((req) => !req.path.startsWith('/api/login/'))).toHaveLength(2);
			expect(r.persistedState()).toBe(saved);
		},
	);

	test('a 300 MB answer is refused after 62.6 MiB (64 KiB for each of the 1,000 records of a v5 page), never read whole; the position stays', async () => {
		const { r, saved } = await activated('oauth-v5', huge(300 * 1024 * 1024));
		const poll = await within(20_000, r.poll());

		expect(poll).not.toBe('still running');
		const error = (poll as Exclude<typeof poll, string>).error;
		expect(error?.message).toBe('Pardot\'s answer was larger than 62.6 MiB, more than the trigger reads for one request');
		expect(description(error)).toMatch(/fewer fields/);
		// Not retried, and the rest never downloaded (socket buffers hold a few MB at most).
		expect(pardot.requests).toHaveLength(1);
		expect(pardot.bytesSent).toBeLessThan(100 * 1024 * 1024);
		expect(r.persistedState()).toBe(saved);
	});

	test.each<Flavor>(['legacy-v4', 'oauth-v5'])('%s: a connection dropped in the middle of a body is retried like any dropped connection', async (flavor) => {
		const page = flavor === 'oauth-v5' ? { values: [], nextPageToken: null } : { '@attributes': { stat: 'ok', version: 1 }, result: { total_results: 0 } };
		const { r } = await activated(flavor, times(2, dropMidBody(JSON.stringify({ ...page, padding: 'x'.repeat(10_000) })), emptyPardot()), { retries: 3 });
		const poll = await r.poll();

		expect(poll.error).toBeUndefined();
		expect(pardot.requests.filter((req) => !req.path.startsWith('/api/login/')).length).toBeGreaterThanOrEqual(3);
	});

	test('a body that breaks off on every attempt fails the poll as a dropped connection, after the retries, position unchanged', async () => {
		const { r, saved } = await activated('oauth-v5', dropMidBody(JSON.stringify({ values: [], padding: 'x'.repeat(10_000) })), { retries: 2 });
		const poll = await r.poll();

		expect(poll.error?.message).toMatch(/^The connection to Pardot at 127\.0\.0\.1:\d+ was dropped \(ECONNRESET\)$/);
		expect(pardot.requests).toHaveLength(3);
		expect(r.persistedState()).toBe(saved);
	});
});

// ------------------------------------------------------------------ records the simulator cannot hold

const MINUTE = 60_000;
/** An instant `ms` ago, as v5 renders it (whole seconds, UTC). */
const isoAgo = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** An instant `ms` ago, as v3/v4 render it in the UTC account zone. */
const localAgo = (ms: number) => new Date(Date.now() - ms).toISOString().slice(0, 19).replace('T', ' ');
/** A v5 prospect (or visitor) created a minute before it last changed, `agoMs` ago. */
const v5Record = (id: unknown, agoMs: number, extra: Record<string, unknown> = {}): V5Record => ({
	id,
	email: `p${String(id)}@example.com`,
	createdAt: isoAgo(agoMs + MINUTE),
	updatedAt: isoAgo(agoMs),
	...extra,
});
/** Start From an hour back: the activation poll itself reads (and emits) what changed since. */
const catchUp = (extra: INodeParameters = {}): INodeParameters => ({ options: { startFrom: isoAgo(60 * MINUTE), ...extra } });
const objectIds = (r: PollRunner) => r.emitted.map((item) => `${String(item.json.objectType)}:${String(item.json.objectId)}`);
const queries = (server: Hostile) => server.requests.filter((req) => !req.path.startsWith('/api/login/'));

describe('3. paging that never ends', () => {
	test('v5: every page full of undated records with the same nextPageToken: the read stops at once on the first record it cannot place', async () => {
		pardot.answer = (req, res) => {
			const values = Array.from({ length: Number(req.query.limit ?? 1000) }, (_, i) => ({ id: i + 1, email: `x${i}@example.com` }));
			json({ nextPageToken: 'the-same-token', values })(req, res);
		};
		const r = runner('oauth-v5', catchUp());
		const poll = await within(10_000, r.poll());

		expect(poll).not.toBe('still running');
		const error = (poll as Exclude<typeof poll, string>).error;
		expect(error?.message).toBe('Pardot sent prospects record 1 with the createdAt none, which is not a date');
		expect(queries(pardot)).toHaveLength(1);
		expect(r.persistedState()).toBe('{}');
	});

	test('v4 opportunities: the same page whatever id_greater_than says, total_results 1,000,000: the second page stops the read', async () => {
		const page = Array.from({ length: 200 }, (_, i) => ({ id: i + 1, name: `o${i}`, created_at: localAgo(30 * MINUTE), updated_at: localAgo(20 * MINUTE) }));
		pardot.answer = byPath([['/api/login/', legacyLogin(API_KEY)]], legacyPage('opportunity', page, 1_000_000));
		const r = runner('legacy-v4', { resources: ['leads'], ...catchUp() });
		const poll = await within(10_000, r.poll());

		expect(poll).not.toBe('still running');
		const error = (poll as Exclude<typeof poll, string>).error;
		expect(error?.message).toBe('Pardot\'s pages of opportunities did not move on: asked for the records after id 200, it answered with records up to id 200');
		expect(description(error)).toMatch(/position is unchanged/);
		expect(queries(pardot)).toHaveLength(2);
		expect(r.persistedState()).toBe('{}');
	});

	test('a read that keeps moving on stops at its request budget (2,000 queries by default; 30 here)', async () => {
		// Every page holds 200 new opportunities, forever.
		pardot.answer = byPath([['/api/login/', legacyLogin(API_KEY)]], (req, res) => {
			const after = Number(req.query.id_greater_than ?? 0);
			const page = Array.from({ length: 200 }, (_, i) => ({ id: after + i + 1, created_at: localAgo(30 * MINUTE), updated_at: localAgo(20 * MINUTE) }));
			legacyPage('opportunity', page, 1_000_000_000)(req, res);
		});
		const r = runner('legacy-v4', { resources: ['leads'], ...catchUp() }, { maxRequestsPerRead: 30 });
		const poll = await within(20_000, r.poll());

		expect(poll).not.toBe('still running');
		const error = (poll as Exclude<typeof poll, string>).error;
		expect(error?.message).toBe('The read of opportunities made 30 requests to Pardot in one poll without coming to an end');
		expect(queries(pardot)).toHaveLength(30);
		expect(r.persistedState()).toBe('{}');
	});
});

describe('3. v3/v4 reads against a page that repeats (every kind of read by id)', () => {
	const start = 3 * 60 * MINUTE;
	/** Prospects: `n` changed one a second from three hours ago, and `late` more created among them but changed later. */
	function prospects(n: number, late = 0): LegacyRecord[] {
		const at = (seconds: number) => localAgo(start - seconds * 1000);
		const early = Array.from({ length: n }, (_, i) => ({ id: i + 1, email: `p${i}@example.com`, created_at: at(i + 1), updated_at: at(i + 1) }));
		const later = Array.from({ length: late }, (_, i) => ({ id: n + i + 1, email: `q${i}@example.com`, created_at: at(i + 1), updated_at: at(2 * n + i + 1) }));
		return [...early, ...later];
	}
	const legacyRunner = () => runner('legacy-v4', { options: { startFrom: isoAgo(start) } });

	test.each<[string, () => LegacyRecord[], (query: Record<string, string>) => string[]]>([
		['a scan that fits Max Events Per Poll', () => prospects(500), () => ['id_greater_than']],
		// (A window is read by change time; the second it ends in, when that second holds more than a page, by id.)
		['a window ending in a second of more than a page', () => prospects(1500).map((p) => ({ ...p, updated_at: prospects(1)[0].updated_at })), () => ['id_greater_than']],
		['the lookup of records created in the window and changed after it', () => prospects(1000, 400), (q) => (q.created_after !== undefined ? ['id_greater_than'] : [])],
	])('%s: the read stops with an error at the first page that does not move on', async (_name, make, ignores) => {
		const records = make();
		pardot.answer = byPath([['/api/login/', legacyLogin(API_KEY)]], pardotLegacy('prospect', () => records, ignores));
		const r = legacyRunner();
		const poll = await within(10_000, r.poll());

		expect(poll).not.toBe('still running');
		const error = (poll as Exclude<typeof poll, string>).error;
		expect(error?.message).toMatch(/^Pardot's pages of prospects did not move on: asked for the records after id (\d+), it answered with records up to id \1$/);
		expect(queries(pardot).length).toBeLessThan(20);
		expect(r.persistedState()).toBe('{}');
	});

	test('the same reads against a Pardot that honours id_greater_than emit every change once', async () => {
		const records = prospects(1000, 400);
		pardot.answer = byPath([['/api/login/', legacyLogin(API_KEY)]], pardotLegacy('prospect', () => records));
		const r = legacyRunner();
		expect((await r.poll()).error).toBeUndefined();
		expect((await r.poll()).error).toBeUndefined();
		// 1,400 records, every one created after Start From: one CREATED each, and for the 400 changed after the
		// first poll's window, their later change as UPDATED. No event twice.
		const events = r.emitted.map((item) => item.json);
		expect(new Set(events.map((e) => `${String(e.objectId)}:${String(e.eventType)}`)).size).toBe(events.length);
		expect(events.filter((e) => e.eventType === 'CREATED')).toHaveLength(1400);
		expect(events.filter((e) => e.eventType === 'UPDATED').map((e) => Number(e.objectId))).toEqual(Array.from({ length: 400 }, (_, i) => 1001 + i));
	});
});

describe('3. v5 reads against a page that repeats', () => {
	test('a scan by id against a Pardot that ignores idGreaterThan stops at the first page that does not move on', async () => {
		const records = Array.from({ length: 25 }, (_, i) => v5Record(i + 1, 50 * MINUTE - i * 1000));
		pardot.answer = byPath([['/api/v5/objects/prospects', pardotV5(() => records, () => ['idGreaterThan'])]]);
		const r = runner('oauth-v5', catchUp(), { pageSize: 10, maxRequestsPerRead: 20 });
		const poll = await r.poll();

		expect(poll.error?.message).toBe("Pardot's pages of prospects did not move on: asked for the records after id 10, it answered with records up to id 10");
		expect(queries(pardot).length).toBeLessThan(5);
		expect(r.persistedState()).toBe('{}');
	});

	test.each([
		['without an id', undefined],
		['with a null id', null],
	])('a full page whose last record comes %s: the poll fails naming it, no page is asked for after it', async (_name, id) => {
		const records: V5Record[] = Array.from({ length: 19 }, (_, i) => v5Record(i + 1, 50 * MINUTE - i * 1000));
		// Sorted by id, it comes after the numbers and before "zz": the last record of the second full page, with
		// a page after it.
		records.push({ ...v5Record(99, 30 * MINUTE), id }, v5Record('zz', 20 * MINUTE));
		pardot.answer = byPath([['/api/v5/objects/prospects', pardotV5(() => records)]]);
		const r = runner('oauth-v5', catchUp(), { pageSize: 10 });
		const poll = await r.poll();

		expect(poll.error?.message).toBe('Pardot sent a record of prospects without an id');
		// No page is asked for after a record without an id, not even ahead of time (a request sent ahead
		// would still be on its way when the poll fails: time for it to arrive).
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(queries(pardot)).toHaveLength(2);
	});
});

describe('4. a record with an unreadable date is never skipped in silence', () => {
	test('v5: updatedAt "27/11/2026 10:00:00": the read of that resource stops there, naming the record and the field; the others emit; its position stays', async () => {
		const contacts = [v5Record(1, 30 * MINUTE), { ...v5Record(2, 20 * MINUTE), updatedAt: '27/11/2026 10:00:00', _at: isoAgo(20 * MINUTE) }, v5Record(3, 10 * MINUTE)];
		const visitors = [v5Record(70, 15 * MINUTE)];
		pardot.answer = byPath([
			['/api/v5/objects/prospects', pardotV5(() => contacts)],
			['/api/v5/objects/visitors', pardotV5(() => visitors)],
		]);
		const r = runner('oauth-v5', { resources: ['contacts', 'visitors'], ...catchUp() });
		const poll = await r.poll();

		expect(poll.error).toBeUndefined();
		expect(objectIds(r)).toEqual(['visitors:70']);
		const logged = r.logger.text();
		expect(logged).toContain('Pardot sent prospects record 2 with the updatedAt "27/11/2026 10:00:00", which is not a date');
		// Contacts have no position yet: the next poll reads them again from Start From.
		expect(Object.keys((r.persistedNodeState()?.cursors ?? {}) as object)).toEqual(['visitors']);

		// Once the record has a date Pardot would send, it comes out with the rest, in order.
		contacts[1] = { ...contacts[1], updatedAt: contacts[1]._at };
		expect((await r.poll()).error).toBeUndefined();
		expect(objectIds(r)).toEqual(['visitors:70', 'contacts:1', 'contacts:2', 'contacts:3']);
	});

	test('v4: an updated_at that is not a date stops the read, naming the record and the field', async () => {
		const records = [
			{ id: 1, created_at: localAgo(40 * MINUTE), updated_at: localAgo(30 * MINUTE) },
			{ id: 2, created_at: localAgo(40 * MINUTE), updated_at: 'yesterday at noon' },
		];
		pardot.answer = byPath([['/api/login/', legacyLogin(API_KEY)]], legacyPage('prospect', records));
		const r = runner('legacy-v4', catchUp());
		const poll = await r.poll();

		expect(poll.error?.message).toBe('Pardot sent prospects record 2 with the updated_at "yesterday at noon", which is not a date');
		expect(r.emitted).toEqual([]);
		expect(r.persistedState()).toBe('{}');
	});
});

describe('7. record ids that are property names of every JavaScript object', () => {
	test('v5: records "constructor", "__proto__", "toString" and 5 each give their CREATED event', async () => {
		const records = [v5Record('constructor', 40 * MINUTE), v5Record('__proto__', 30 * MINUTE), v5Record('toString', 20 * MINUTE), v5Record(5, 10 * MINUTE)];
		pardot.answer = byPath([['/api/v5/objects/prospects', pardotV5(() => records)]]);
		const r = runner('oauth-v5', catchUp());
		const poll = await r.poll();

		expect(poll.error).toBeUndefined();
		expect(objectIds(r)).toEqual(['contacts:constructor', 'contacts:__proto__', 'contacts:toString', 'contacts:5']);
		expect(r.emitted.map((item) => item.json.eventType)).toEqual(['CREATED', 'CREATED', 'CREATED', 'CREATED']);
	});
});

describe('a record dated far in the future (v5)', () => {
	test('dated 2099: no poll fails, the records before it and the other resources come out, and it waits for its time', async () => {
		const contacts = [v5Record(1, 30 * MINUTE), v5Record(2, 0, { updatedAt: '2099-01-01T00:00:00Z', createdAt: isoAgo(25 * MINUTE) }), v5Record(3, 20 * MINUTE)];
		const visitors = [v5Record(70, 15 * MINUTE)];
		pardot.answer = byPath([
			['/api/v5/objects/prospects', pardotV5(() => contacts)],
			['/api/v5/objects/visitors', pardotV5(() => visitors)],
		]);
		const r = runner('oauth-v5', { resources: ['contacts', 'visitors'], ...catchUp() });
		for (let i = 0; i < 3; i++) expect((await r.poll()).error).toBeUndefined();

		// Record 2 was created 25 minutes ago: its creation is reported, dated then; its 2099 change waits.
		expect(objectIds(r)).toEqual(['contacts:1', 'contacts:2', 'contacts:3', 'visitors:70']);
		expect(r.emitted[1].json).toMatchObject({ eventType: 'CREATED', date: contacts[1].createdAt });

		// Later changes of the others still come out: Pardot's clock five minutes on, a visitor changed a minute from now.
		pardot.clockOffsetMs = 5 * MINUTE;
		visitors.push(v5Record(71, -MINUTE));
		contacts.push(v5Record(4, -2 * MINUTE));
		expect((await r.poll()).error).toBeUndefined();
		expect(objectIds(r)).toEqual(['contacts:1', 'contacts:2', 'contacts:3', 'visitors:70', 'visitors:71', 'contacts:4']);
	});
});
