/**
 * The callback sink: a tiny HTTP server on 127.0.0.1 that stands in for a team's Open Connectors receiver.
 * Each scenario posts to its own path (/<scenario>). Every request is kept with its verdict: signature checked
 * against the scenario's signing key (HMAC-SHA256 over the exact body bytes, base64, `sha256=` prefix) and the
 * envelope checked against the event format (docs/). Every request is also kept as an attempt, whatever the
 * answer, so that retries can be compared byte for byte.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkEvent {
	date: string;
	elementKey: string;
	pollDate: string;
	eventType: string;
	hubKey: string;
	objectId: string;
	objectType: string;
}

export interface SinkRequest {
	path: string;
	receivedAt: string;
	headers: http.IncomingHttpHeaders;
	body: string;
	json: any;
	/** problems found with signature or envelope; empty when the request is as specified */
	problems: string[];
	events: SinkEvent[];
}

/** One request as it arrived, whatever the answer: for comparing retries. */
export interface SinkAttempt {
	path: string;
	receivedAt: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	/** the status we answered; null while held or when the sender went away before an answer */
	status: number | null;
	/** the sender closed the connection before we answered (a held request whose sender died) */
	abandoned: boolean;
}

export interface Sink {
	url: string;
	/** requests answered 200, with their verdicts */
	requests(path: string): SinkRequest[];
	/** every request on this path in arrival order, failed and held ones included */
	attempts(path: string): SinkAttempt[];
	events(path: string): SinkEvent[];
	setKey(path: string, key: string | null): void;
	/** answer the next n requests on this path with this status and headers (to exercise retries) */
	failNext(path: string, n: number, status: number, headers?: Record<string, string>): void;
	/** leave requests on this path unanswered until release(path) (a receiver that hangs) */
	hold(path: string): void;
	/** answer held requests and stop holding */
	release(path: string): void;
	close(): Promise<void>;
}

export function verifySignature(key: string, body: Buffer, header: string | undefined): string | null {
	if (!header) return 'no Elements-Webhook-Signature header';
	const m = /^sha256=(.+)$/.exec(header);
	if (!m) return `signature header not of the form sha256=<base64>: ${header}`;
	const want = createHmac('sha256', key).update(body).digest();
	const got = Buffer.from(m[1], 'base64');
	if (got.length !== want.length || !timingSafeEqual(got, want)) return 'signature does not match HMAC-SHA256(key, body)';
	return null;
}

export function checkEnvelope(json: any, headers: http.IncomingHttpHeaders): string[] {
	const p: string[] = [];
	const msg = json?.message;
	if (!msg || typeof msg !== 'object') return ['body has no "message" object'];
	if (msg.elementKey !== 'pardot') p.push(`message.elementKey is ${JSON.stringify(msg.elementKey)}`);
	if (typeof msg.eventId !== 'string' || !msg.eventId) p.push('message.eventId missing');
	if (headers['elements-webhook-id'] !== msg.eventId) p.push('Elements-Webhook-Id header differs from message.eventId');
	if (typeof msg.instanceName !== 'string') p.push('message.instanceName missing');
	if (!Array.isArray(msg.events) || msg.events.length === 0) p.push('message.events empty');
	if (!msg.raw || typeof msg.raw !== 'object') p.push('message.raw missing');
	for (const e of msg.events ?? []) {
		for (const k of ['date', 'elementKey', 'pollDate', 'eventType', 'hubKey', 'objectId', 'objectType']) {
			if (typeof e[k] !== 'string') p.push(`event field ${k} is not a string: ${JSON.stringify(e)}`);
		}
		if (!['CREATED', 'UPDATED', 'DELETED'].includes(e.eventType)) p.push(`eventType ${e.eventType}`);
		if (e.hubKey !== 'marketing') p.push(`hubKey ${e.hubKey}`);
		if (!/Z$/.test(e.date ?? '') || Number.isNaN(Date.parse(e.date))) p.push(`date not UTC ISO: ${e.date}`);
		if (!/Z$/.test(e.pollDate ?? '') || Number.isNaN(Date.parse(e.pollDate))) p.push(`pollDate not UTC ISO: ${e.pollDate}`);
		const raws = msg.raw?.[e.objectType];
		if (!Array.isArray(raws) || !raws.some((r: any) => String(r?.id) === e.objectId))
			p.push(`message.raw.${e.objectType} has no record with id ${e.objectId}`);
	}
	if (!String(headers['content-type'] ?? '').startsWith('application/json')) p.push(`content-type ${headers['content-type']}`);
	return p;
}

export async function startSink(): Promise<Sink> {
	const byPath = new Map<string, SinkRequest[]>();
	const keys = new Map<string, string | null>();
	const failures = new Map<string, { n: number; status: number; headers: Record<string, string> }>();
	const attempts = new Map<string, SinkAttempt[]>();
	const held = new Map<string, Array<() => void>>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const path = (req.url ?? '/').split('?')[0];
			const body = Buffer.concat(chunks);
			const attempt: SinkAttempt = { path, receivedAt: Date.now(), headers: req.headers, body, status: null, abandoned: false };
			if (!attempts.has(path)) attempts.set(path, []);
			attempts.get(path)!.push(attempt);
			const f = failures.get(path);
			if (f && f.n > 0) {
				f.n--;
				attempt.status = f.status;
				res.writeHead(f.status, { 'content-type': 'text/plain', ...f.headers }).end('sink: failing on purpose');
				return;
			}
			if (held.has(path)) {
				res.on('close', () => {
					if (!res.writableEnded) attempt.abandoned = true;
				});
				held.get(path)!.push(() => answer(path, req, res, body, attempt));
				return;
			}
			answer(path, req, res, body, attempt);
		});
	});
	function answer(path: string, req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, attempt: SinkAttempt) {
		if (res.destroyed || attempt.abandoned) return;
		const problems: string[] = [];
		let json: any = null;
		try {
			json = JSON.parse(body.toString('utf8'));
		} catch {
			problems.push('body is not JSON');
		}
		if (req.method !== 'POST') problems.push(`method ${req.method}`);
		const key = keys.get(path);
		if (key) {
			const bad = verifySignature(key, body, req.headers['elements-webhook-signature'] as string | undefined);
			if (bad) problems.push(bad);
		}
		if (json) problems.push(...checkEnvelope(json, req.headers));
		const entry: SinkRequest = {
			path,
			receivedAt: new Date().toISOString(),
			headers: req.headers,
			body: body.toString('utf8'),
			json,
			problems,
			events: Array.isArray(json?.message?.events) ? json.message.events : [],
		};
		if (!byPath.has(path)) byPath.set(path, []);
		byPath.get(path)!.push(entry);
		attempt.status = 200;
		res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
	}
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		requests: (p) => byPath.get(p) ?? [],
		events: (p) => (byPath.get(p) ?? []).flatMap((r) => r.events),
		setKey: (p, k) => keys.set(p, k),
		attempts: (p) => attempts.get(p) ?? [],
		failNext: (p, n, status, headers = {}) => failures.set(p, { n, status, headers }),
		hold: (p) => {
			if (!held.has(p)) held.set(p, []);
		},
		release: (p) => {
			const waiting = held.get(p) ?? [];
			held.delete(p);
			for (const go of waiting) go();
		},
		close: () =>
			new Promise<void>((r) => {
				server.closeAllConnections?.();
				server.close(() => r());
			}),
	};
}
