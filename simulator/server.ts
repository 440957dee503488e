/**
 * The HTTP pipeline. For each request: read the body; `/__sim/` goes to the control API; count it in
 * the stats; move the clock on (clockStepPerRequestMs) and log the request; refuse a Pardot API
 * request past the concurrency limit (error 66); apply a pending fault and the latency; run the
 * test's onRequest hook; route it to its handler (a `resetAfter` fault drops the connection once the
 * handler has run); send the reply with a `Date` header from the
 * simulated clock (plus offset and jitter).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { endpointOf, type RequestContext } from './context';
import { controlReply } from './control';
import { PardotError, messageFor } from './errors';
import { settleImports } from './imports';
import { htmlErrorPage, jsonReply, textReply, type Reply } from './render';
import { errorReply, route } from './routes';
import type { PendingFault, SimState } from './state';
import type { SimRequest, SimulatorControl } from './types';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function readBody(req: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** Parameters whose values the request log and the hook do not show. */
const SECRET_PARAMETERS = new Set(['password', 'user_key', 'api_key', 'client_secret', 'code', 'refresh_token']);

/** The parameters as Pardot reads them, one value per name (the last), secrets masked. */
function shownParameters(params: URLSearchParams): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of params) out[name] = SECRET_PARAMETERS.has(name) ? '***' : value;
	return out;
}

export class SimServer {
	baseUrl = '';
	port = 0;
	private server: http.Server | null = null;
	private readonly sockets = new Set<Socket>();
	/** Pardot API requests being answered now (maxConcurrentRequests). */
	private inFlight = 0;

	constructor(
		private readonly state: SimState,
		private readonly control: SimulatorControl,
	) {}

	async listen(host: string, port: number): Promise<void> {
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
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
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

	/**
	 * Sends a reply. With `entry` (the request's log entry: every request but control calls) the entry
	 * gets the status and the `Date` header its jitter.
	 */
	private send(res: http.ServerResponse, reply: Reply, entry?: { status: number }): void {
		if (res.destroyed) return;
		if (entry) entry.status = reply.status;
		const body = Buffer.from(reply.body, 'utf8');
		res.writeHead(reply.status, {
			...reply.headers,
			// Pardot's Date header is the only server clock a client sees: it comes from the simulated clock
			// (dateHeaderOffsetMs; dateHeaderJitterMs on API answers, not on control ones).
			Date: new Date(this.state.dateHeaderMs(entry !== undefined)).toUTCString(),
			'Content-Length': String(body.length),
		});
		res.end(body);
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const state = this.state;
		const host = req.headers.host ?? `127.0.0.1:${this.port}`;
		const url = new URL(req.url ?? '/', `http://${host}`);
		const method = (req.method ?? 'GET').toUpperCase();
		const body = await readBody(req);

		if (url.pathname.startsWith('/__sim/')) {
			this.send(res, controlReply(this.control, url.pathname.slice('/__sim/'.length), body));
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
			body,
			origin: `http://${host}`,
		};

		const endpoint = endpointOf(method, url.pathname);
		state.countRequest(endpoint);
		const isPardotApi = url.pathname.startsWith('/api/');
		// Time passes as each Pardot API request arrives, before anything reads the clock for it.
		if (isPardotApi) state.stepClock();
		const request: SimRequest = { endpoint, method, path: url.pathname, query: shownParameters(params) };
		const entry = state.logRequest(request);

		if (isPardotApi) state.noteInFlight(this.inFlight + 1);
		// Pardot allows a handful of concurrent API requests per account; the next one is refused at once.
		if (isPardotApi && this.inFlight >= state.config.maxConcurrentRequests) {
			this.send(res, errorReply(state.config, ctx, new PardotError(66)), entry);
			return;
		}
		if (isPardotApi) this.inFlight++;
		try {
			const fault = state.takeFault(req.url ?? '/');
			if (fault?.kind === 'reset') {
				req.socket.destroy();
				return;
			}
			if (fault?.kind === 'delay') await sleep(fault.delayMs ?? 1000);
			if (state.config.latencyMs > 0) await sleep(state.config.latencyMs);
			let reply: Reply;
			if (fault && (fault.kind === 'pardotError' || fault.kind === 'http' || fault.kind === 'html')) {
				reply = this.faultReply(ctx, fault);
			} else {
				// The request reaches its handler. Import rows whose time has come are applied first; then the
				// test's hook runs, synchronously, so that what it writes is there when the handler reads the
				// clock and the records.
				if (isPardotApi) settleImports(state);
				if (isPardotApi && state.requestHook) state.requestHook({ ...request, query: { ...request.query } });
				reply = route(state, ctx, endpoint);
			}
			// The request was applied (a write happened) but its answer never leaves: the client cannot tell.
			if (fault?.kind === 'resetAfter') {
				req.socket.destroy();
				return;
			}
			if (fault?.kind === 'truncated') {
				const cut = Math.max(1, Math.floor(reply.body.length / 2));
				reply = { ...reply, body: reply.body.slice(0, Math.min(cut, reply.body.length - 1)) };
			}
			this.send(res, reply, entry);
		} catch (error) {
			// A simulator bug, or an onRequest hook that threw: HTTP 500 with the message.
			if (res.headersSent) res.destroy();
			else this.send(res, textReply(500, `Simulator error: ${(error as Error)?.message ?? String(error)}`), entry);
		} finally {
			if (isPardotApi) this.inFlight--;
		}
	}

	private faultReply(ctx: RequestContext, fault: PendingFault): Reply {
		switch (fault.kind) {
			case 'pardotError': {
				const code = fault.code ?? 1;
				const error = new PardotError(code, fault.status, fault.message ?? messageFor(code));
				if (ctx.url.pathname.startsWith('/services/')) {
					return jsonReply(fault.status ?? 400, { error: 'invalid_grant', error_description: error.message });
				}
				return errorReply(this.state.config, ctx, error);
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
}
