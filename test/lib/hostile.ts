/**
 * A small hostile HTTP server on 127.0.0.1, for the tests of what the nodes do when the other end misbehaves:
 * redirects to another host, answers that trickle in a byte at a time or never end, bodies of hundreds of
 * megabytes, connections dropped in the middle of a body, pages that repeat, records with dates Pardot would not
 * send. Every request it receives is kept (method, URL, headers, body), so a test can check that a secret never
 * reached it. Its answer is a function the test sets, and may change between polls.
 *
 * `pardotV5(records)` answers the trigger's v5 queries from a fixed list of records, as Pardot would: filters,
 * sort, limit, `nextPageToken`; enough for a poll to run against records the simulator cannot hold (an id such as
 * "constructor", a date Pardot's own format would never have, a change dated in 2099).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export interface SeenRequest {
	method: string;
	/** Path and query string, as sent. */
	url: string;
	path: string;
	/** The query string's parameters (the last value of a repeated one). */
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** How the server answers one request. */
export type Answer = (req: SeenRequest, res: http.ServerResponse) => void | Promise<void>;

export interface Hostile {
	/** http://127.0.0.1:<port> */
	baseUrl: string;
	/** 127.0.0.1:<port> */
	host: string;
	/** Every request received, oldest first. */
	requests: SeenRequest[];
	/** The answer to every request from now on. */
	answer: Answer;
	/** Body bytes the server handed to its sockets (`huge` counts them). */
	bytesSent: number;
	/** How far the server's clock (its answers' Date header) runs ahead of this machine's. */
	clockOffsetMs: number;
	/** Requests still being answered (a trickle still dripping). */
	open(): number;
	close(): Promise<void>;
}

export async function startHostile(answer: Answer = json({ ok: true })): Promise<Hostile> {
	const sockets = new Set<Socket>();
	let open = 0;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const url = req.url ?? '/';
			const parsed = new URL(url, 'http://hostile.invalid');
			const seen: SeenRequest = {
				method: req.method ?? 'GET',
				url,
				path: parsed.pathname,
				query: Object.fromEntries(parsed.searchParams),
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			hostile.requests.push(seen);
			res.setHeader('date', new Date(Date.now() + hostile.clockOffsetMs).toUTCString());
			open++;
			res.on('close', () => open--);
			Promise.resolve(hostile.answer(seen, res)).catch(() => res.destroy());
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const hostile: Hostile = {
		baseUrl: `http://127.0.0.1:${port}`,
		host: `127.0.0.1:${port}`,
		requests: [],
		answer,
		bytesSent: 0,
		clockOffsetMs: 0,
		open: () => open,
		close: async () =>
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			}),
	};
	counters.set(server, hostile);
	return hostile;
}

/** Which Hostile a response belongs to (for byte counts). */
const counters = new WeakMap<http.Server, Hostile>();
function hostileOf(res: http.ServerResponse): Hostile | undefined {
	const server = (res.socket as unknown as { server?: http.Server } | null)?.server;
	return server ? counters.get(server) : undefined;
}

// ------------------------------------------------------------------ answers

/** A JSON answer (with the server's Date header: its clock is "Pardot's"). */
export function json(body: unknown, status = 200, headers: http.OutgoingHttpHeaders = {}): Answer {
	return (_req, res) => {
		res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
	};
}

/** A redirect to `location` (another host, usually), with a small JSON body as some servers send. */
export function redirect(location: string, status = 302): Answer {
	return (_req, res) => {
		res.writeHead(status, { location, 'content-type': 'application/json' }).end('{"moved":true}');
	};
}

/**
 * Headers at once, then one byte of a never-ending JSON body every `everyMs`, until the client goes away: n8n's
 * socket timeout never fires, since the socket is never silent for long.
 */
export function trickle(everyMs = 500, status = 200): Answer {
	return (_req, res) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.write('{');
		const timer = setInterval(() => {
			if (res.destroyed || res.writableEnded) return clearInterval(timer);
			res.write(' ');
		}, everyMs);
		res.on('close', () => clearInterval(timer));
	};
}

/**
 * A JSON body of `bytes` bytes (a v5 page whose one record carries a huge field), streamed as fast as the client
 * reads it; stops when the client goes away. `Hostile.bytesSent` counts what was handed to the socket.
 */
export function huge(bytes: number, status = 200): Answer {
	const CHUNK = Buffer.alloc(1 << 20, 'x');
	return (_req, res) => {
		const hostile = hostileOf(res);
		const head = Buffer.from('{"values":[{"id":1,"updatedAt":"2026-11-27T10:00:00Z","note":"');
		const tail = Buffer.from('"}],"nextPageToken":null}');
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bytes) });
		let left = bytes - head.length - tail.length;
		const write = (chunk: Buffer) => {
			if (hostile) hostile.bytesSent += chunk.length;
			return res.write(chunk);
		};
		write(head);
		const pump = () => {
			while (left > 0 && !res.destroyed) {
				const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
				left -= chunk.length;
				if (!write(chunk)) return void res.once('drain', pump);
			}
			if (!res.destroyed) {
				write(tail);
				res.end();
			}
		};
		pump();
	};
}

/**
 * The headers of a whole answer (its Content-Length), the first `fraction` of its body, then the connection
 * dropped: a connection that breaks in the middle of a body.
 */
export function dropMidBody(body: string, fraction = 0.5, status = 200): Answer {
	return (_req, res) => {
		const bytes = Buffer.from(body);
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bytes.length) });
		res.write(bytes.subarray(0, Math.floor(bytes.length * fraction)), () => res.socket?.destroy());
	};
}

/** Passes the request on to `target` (e.g. the simulator) and its answer back unchanged: the server as a front. */
export function proxyTo(target: string): Answer {
	const upstream = new URL(target);
	return (req, res) =>
		new Promise<void>((resolve) => {
			const forward = http.request(
				{ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
					answer.on('end', resolve);
					answer.on('error', () => {
						res.destroy();
						resolve();
					});
				},
			);
			forward.on('error', () => {
				res.destroy();
				resolve();
			});
			forward.end(req.body);
		});
}

/** Answers by path: the first entry whose pattern matches (a substring or a RegExp), else `otherwise`. */
export function byPath(routes: Array<[string | RegExp, Answer]>, otherwise: Answer = json({ error: 'not here' }, 404)): Answer {
	return (req, res) => {
		const route = routes.find(([pattern]) => (typeof pattern === 'string' ? req.path.includes(pattern) : pattern.test(req.path)));
		return (route ? route[1] : otherwise)(req, res);
	};
}

/** `first` for the next `n` requests it is asked to answer, then `then`. */
export function times(n: number, first: Answer, then: Answer): Answer {
	let left = n;
	return (req, res) => {
		if (left > 0) {
			left--;
			return first(req, res);
		}
		return then(req, res);
	};
}

// ------------------------------------------------------------------ Pardot-shaped answers

/** A v3/v4 login answer with this api_key. */
export function legacyLogin(apiKey: string): Answer {
	return json({ '@attributes': { stat: 'ok', version: 1 }, api_key: apiKey });
}

/** A v3/v4 query answer: `records` under `result.<key>`, and total_results. */
export function legacyPage(key: string, records: object[], total = records.length): Answer {
	return json({ '@attributes': { stat: 'ok', version: 1 }, result: { total_results: total, [key]: records } });
}

/** One record as pardotV5 keeps it: what Pardot returns, plus `_at` (ISO) where its own date cannot be read. */
export type V5Record = Record<string, unknown> & { id: unknown; _at?: string };

/** The id order Pardot pages by: numbers as numbers, anything else as text. */
function compareIds(a: unknown, b: unknown): number {
	const [x, y] = [String(a), String(b)];
	if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y);
	return x < y ? -1 : x > y ? 1 : 0;
}

/** When a record's field says it changed, for filters and sorting (`_at` wins: a date Pardot's own store holds). */
function instantOf(record: V5Record, field: string): number {
	if (record._at !== undefined) return Date.parse(record._at);
	return Date.parse(String(record[field] ?? ''));
}

/**
 * Answers the trigger's v5 object queries from `records()`: the date filters (`<field>AfterOrEqualTo`,
 * `<field>Before`), `idGreaterThan`, `idLessThanOrEqualTo`, `orderBy` ("id asc", "updatedAt asc,id asc",
 * "updatedAt desc"...), `limit`, and a `nextPageToken` when more records match than the page holds. Records
 * are returned whole (`fields` is not applied), without `_at`. `ignores(query)` names parameters this Pardot
 * ignores for a query (a page that repeats whatever `idGreaterThan` says).
 */
export function pardotV5(records: () => V5Record[], ignores: (query: Record<string, string>) => string[] = () => []): Answer {
	return (req, res) => {
		const ignored = new Set(ignores(req.query));
		const q = Object.fromEntries(Object.entries(req.query).filter(([name]) => !ignored.has(name)));
		let list = records().filter((r) => {
			for (const [name, value] of Object.entries(q)) {
				const after = /^(\w+)AfterOrEqualTo$/.exec(name)?.[1];
				const before = /^(\w+)Before$/.exec(name)?.[1];
				if (after && !(instantOf(r, after) >= Date.parse(value))) return false;
				if (before && !(instantOf(r, before) < Date.parse(value))) return false;
			}
			if (q.idGreaterThan !== undefined && compareIds(r.id, q.idGreaterThan) <= 0) return false;
			if (q.idLessThanOrEqualTo !== undefined && compareIds(r.id, q.idLessThanOrEqualTo) > 0) return false;
			return true;
		});
		const order = (q.orderBy ?? 'id asc').split(',').map((part) => part.trim().split(/\s+/));
		list = [...list].sort((a, b) => {
			for (const [field, direction] of order) {
				const sign = direction === 'desc' ? -1 : 1;
				const c = field === 'id' ? compareIds(a.id, b.id) : instantOf(a, field) - instantOf(b, field);
				if (c) return sign * c;
			}
			return 0;
		});
		const limit = Number(q.limit ?? 1000);
		const page = list.slice(0, limit).map(({ _at, ...rest }) => rest);
		const body = { nextPageToken: list.length > limit ? 'more' : null, values: page };
		res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
	};
}

/** One v3/v4 record as pardotLegacy keeps it: dates as Pardot renders them in UTC (`YYYY-MM-DD HH:MM:SS`). */
export type LegacyRecord = Record<string, unknown> & { id: number; created_at: string; updated_at: string };

/**
 * Answers the trigger's v3/v4 queries from `records()` (the account's time zone is UTC): `<time>_after` (strict),
 * `<time>_before`, `id_greater_than`, `id_less_than`, `sort_by`, `sort_order`, `offset`, `limit` and
 * total_results, the records under `result.<key>`. `ignores(query)` names parameters this Pardot ignores for a
 * query (a page that repeats whatever `id_greater_than` says). `totals: false` leaves total_results out (as
 * `output=bulk` does).
 */
export function pardotLegacy(
	key: string,
	records: () => LegacyRecord[],
	ignores: (query: Record<string, string>) => string[] = () => [],
	options: { totals?: boolean } = {},
): Answer {
	return (req, res) => {
		const q = { ...req.query };
		for (const name of ignores(req.query)) delete q[name];
		let list = records().filter((r) => {
			for (const field of ['updated_at', 'created_at']) {
				const base = field.replace(/_at$/, '');
				if (q[`${base}_after`] !== undefined && !(String(r[field]) > q[`${base}_after`])) return false;
				if (q[`${base}_before`] !== undefined && !(String(r[field]) < q[`${base}_before`])) return false;
			}
			if (q.id_greater_than !== undefined && !(r.id > Number(q.id_greater_than))) return false;
			if (q.id_less_than !== undefined && !(r.id < Number(q.id_less_than))) return false;
			return true;
		});
		const field = q.sort_by ?? 'id';
		const sign = q.sort_order === 'descending' ? -1 : 1;
		list = [...list].sort((a, b) => sign * (field === 'id' ? a.id - b.id : String(a[field]).localeCompare(String(b[field])) || a.id - b.id));
		const offset = Number(q.offset ?? 0);
		const page = list.slice(offset, offset + Number(q.limit ?? 200));
		const totals = options.totals === false ? {} : { total_results: list.length };
		const body = { '@attributes': { stat: 'ok', version: 1 }, result: { ...totals, [key]: page } };
		res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
	};
}

/** The OAuth2 credential data that makes n8n send `Bearer <token>` without asking a token endpoint first. */
export function bearerToken(token: string): ICredentialDataDecryptedObject {
	return { oauthTokenData: { access_token: token, token_type: 'Bearer' } };
}
