import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A callback receiver on 127.0.0.1 (a free port) that records every request byte for byte and
 * answers as a test script says: any status, after a delay, a dropped connection, or never.
 */

export interface ReceivedRequest {
	/** 0-based arrival order. */
	seq: number;
	method: string;
	/** Path and query as received. */
	url: string;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	receivedAt: number;
	/** When the answer was written (undefined for drops and hangs). */
	answeredAt?: number;
}

export type Reply =
	| { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
	| { drop: true }
	| { hang: true };

/** `nth` counts requests that carried the same Elements-Webhook-Id (0 = first attempt). */
export type Responder = (request: ReceivedRequest, nth: number) => Reply | Promise<Reply>;

export interface Sink {
	/** http://127.0.0.1:<port>/hook */
	url: string;
	port: number;
	requests: ReceivedRequest[];
	/** Most requests that were waiting for an answer at the same time. */
	maxInFlight: number;
	respond(responder: Responder): void;
	close(): Promise<void>;
}

export const OK: Reply = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };

export async function startSink(responder: Responder = () => OK): Promise<Sink> {
	let current = responder;
	const requests: ReceivedRequest[] = [];
	const attemptsById = new Map<string, number>();
	const hanging = new Set<http.ServerResponse>();
	let inFlight = 0;

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const received: ReceivedRequest = {
				seq: requests.length,
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks),
				receivedAt: Date.now(),
			};
			requests.push(received);
			const id = String(req.headers['elements-webhook-id'] ?? '');
			const nth = attemptsById.get(id) ?? 0;
			attemptsById.set(id, nth + 1);
			inFlight++;
			sink.maxInFlight = Math.max(sink.maxInFlight, inFlight);
			void Promise.resolve(current(received, nth)).then(async (reply) => {
				if ('drop' in reply) {
					inFlight--;
					req.socket.destroy();
					return;
				}
				if ('hang' in reply) {
					hanging.add(res);
					res.on('close', () => {
						hanging.delete(res);
						inFlight--;
					});
					return;
				}
				if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
				received.answeredAt = Date.now();
				inFlight--;
				res.writeHead(reply.status, reply.headers ?? {});
				res.end(reply.body ?? '');
			});
		});
	});

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;

	const sink: Sink = {
		url: `http://127.0.0.1:${port}/hook`,
		port,
		requests,
		maxInFlight: 0,
		respond(next) {
			current = next;
		},
		async close() {
			for (const res of hanging) res.destroy();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
	return sink;
}
