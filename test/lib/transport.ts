/**
 * Helpers for the transport-layer suites (test/nodes/PardotTrigger/transport): a poll context from the n8n-faithful
 * harness wired to the simulator, error capture, and a recording reverse proxy that shows what
 * actually went over the wire (headers included). No function of the package is mocked.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { PardotTrigger } from '../../nodes/PardotTrigger/PardotTrigger.node';
import type { PardotConnection, TransportOptions } from '../../nodes/shared/transport';
import type { ScanPage } from '../../nodes/PardotTrigger/transport/source';
import { loadConnection } from '../../nodes/shared/transport';
import { CredentialStore, HarnessLogger, createPollContext } from './n8n';
import type { HarnessPollContext } from './n8n';
import type { SimulatorHandle } from '../../simulator';
import type { Flavor } from './pardot';
import { authenticationOf, credentialsFor, FAST_RETRIES, simulator, testSessions } from './pardot';

/** Fast retries (the suite must stay well under 30 s), and the test process's api_key cache. */
export function fast(): TransportOptions {
	return { ...FAST_RETRIES, sessions: testSessions() };
}

export interface Rig {
	ctx: HarnessPollContext;
	logger: HarnessLogger;
	store: CredentialStore;
	flavor: Flavor;
	/** loadConnection(ctx, ...) for this rig's authentication. */
	connect(): Promise<PardotConnection>;
	close(): void;
}

/** A Pardot Trigger poll context whose credential of `flavor` points at `baseUrl`. */
export function rig(flavor: Flavor, baseUrl: string, overrides: ICredentialDataDecryptedObject = {}): Rig {
	const store = new CredentialStore(credentialsFor(flavor, baseUrl, overrides) as unknown as Record<string, ICredentialDataDecryptedObject>);
	const logger = new HarnessLogger();
	const ctx = createPollContext({
		nodeType: new PardotTrigger(),
		parameters: { authentication: authenticationOf(flavor) },
		credentials: store,
		logger,
	});
	return {
		ctx,
		logger,
		store,
		flavor,
		connect: async () => await loadConnection(ctx, authenticationOf(flavor)),
		close: () => ctx.harness.http.close(),
	};
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function caught(promise: Promise<unknown>): Promise<any> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected the call to fail, but it succeeded');
}

/** Query path of the prospect endpoint for an API version ('3' | '4' | '5'). */
export function prospectPath(version: string): string {
	return version === '5' ? '/api/v5/objects/prospects' : `/api/prospect/version/${version}/do/query`;
}

/** A small valid query for the prospect endpoint of a version. */
export function prospectQuery(version: string): Record<string, string | number> {
	return version === '5' ? { fields: 'id,updatedAt', limit: 10 } : { format: 'json', limit: 10, sort_by: 'id' };
}

// ------------------------------------------------------------------ recording proxy

export interface RecordedRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
	/** The answer's status and body as they passed through (undefined while pending or dropped). */
	status?: number;
	answer?: string;
}

export interface Recorder {
	baseUrl: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

/**
 * A reverse proxy on 127.0.0.1 that records every request (method, URL, headers, body) and
 * forwards it unchanged to `target`; the answer (or a dropped connection) comes back unchanged.
 */
export async function startRecorder(target: string): Promise<Recorder> {
	const upstream = new URL(target);
	const requests: RecordedRequest[] = [];
	const sockets = new Set<import('node:net').Socket>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const record: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: body.toString('utf8') };
			requests.push(record);
			const forward = http.request(
				{
					host: upstream.hostname,
					port: upstream.port,
					method: req.method,
					path: req.url,
					headers: { ...req.headers, host: upstream.host },
				},
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					const parts: Buffer[] = [];
					answer.on('data', (chunk: Buffer) => {
						parts.push(chunk);
						res.write(chunk);
					});
					answer.on('end', () => {
						record.status = answer.statusCode;
						record.answer = Buffer.concat(parts).toString('utf8');
						res.end();
					});
					answer.on('error', () => res.destroy());
				},
			);
			forward.on('error', () => res.destroy());
			forward.end(body);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		requests,
		close: async () =>
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			}),
	};
}

// ------------------------------------------------------------------ one simulator per suite

/**
 * One simulator for the whole suite, started before it and closed after it; with `recorded`, a
 * recording proxy in front of it whose log starts empty for every test. `current()` gives both.
 */
export function simulatorPerSuite(options: { recorded?: boolean } = {}) {
	let sim: SimulatorHandle | undefined;
	let recorder: Recorder | undefined;
	beforeAll(async () => {
		sim = await simulator();
		if (options.recorded) recorder = await startRecorder(sim.baseUrl);
	});
	afterAll(async () => {
		await recorder?.close();
		await sim?.close();
	});
	beforeEach(() => {
		if (recorder) recorder.requests.length = 0;
	});
	return { current: () => ({ sim: sim!, recorder: recorder! }) };
}

/**
 * Counts the queries (URLs holding `path`) n8n's HTTP client has been handed: `meanwhile` (a source's callback for
 * pages read ahead) notes the count each time it is called, `pages` runs a scan and returns its page sizes.
 */
export function queriesSent(path: string) {
	let sent = 0;
	const atMeanwhile: number[] = [];
	return {
		atMeanwhile,
		meanwhile: () => {
			atMeanwhile.push(sent);
		},
		async pages(r: Rig, scan: AsyncIterable<ScanPage>): Promise<number[]> {
			const { recorder } = r.ctx.harness.http;
			recorder.beforeSend = (url) => {
				if (url.includes(path)) sent++;
			};
			const sizes: number[] = [];
			await recorder.run(async () => {
				for await (const page of scan) sizes.push(page.records.length);
			});
			return sizes;
		},
	};
}

/**
 * One simulator for the suite, emptied before each test with its clock frozen an hour after `t0`. `at(s)`: the
 * ISO instant `s` seconds after `t0`; `queries(endpoint)`: the query parameters of each request to that endpoint
 * since the simulator's stats were last reset.
 */
export function frozenSimulatorPerSuite(t0: number) {
	const suite = simulatorPerSuite();
	const sim = () => suite.current().sim;
	const at = (second: number) => new Date(t0 + second * 1000).toISOString();
	beforeEach(() => {
		sim().control.reset();
		sim().control.clock({ set: at(3600), freeze: true });
	});
	const queries = (endpoint: string) =>
		sim()
			.control.requests()
			.filter((q) => q.endpoint === endpoint)
			.map((q) => q.query);
	return { sim, at, queries };
}
