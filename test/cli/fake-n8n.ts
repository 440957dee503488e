/**
 * A stand-in for n8n's public REST API on 127.0.0.1, for the cases a real n8n will not produce on demand (a refused
 * workflow, a missing package, a key without a scope, a server that is not n8n). It answers as n8n 1.123 / 2.41 do
 * per their OpenAPI specs: `X-N8N-API-KEY` or 401 {"message":"Unauthorized"}; JSON bodies; a new workflow takes
 * name, nodes, connections and settings and nothing else (1.x: 400 "request/body must NOT have additional
 * properties"). The real n8n runs in the e2e suite (e2e/scenarios/migrate.ts).
 *
 * Activation as each line does it (measured on n8n 1.123.81 and 2.41.1): `line` 1 starts the trigger before it
 * answers (a failure is the answer: `fail('activate', ...)`), so the workflow has its trigger's saved position and
 * a trigger count at once; line 2 answers at once with a trigger count of 0 and publishes `publishMs` later: the
 * trigger count becomes 1, and the position is saved only when `publication` is 'succeeds'. Line 2's credential
 * test answers `credentialTest`, and it deletes no published workflow (409) until it is unpublished (deactivate).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export const API_KEY = 'n8n_api_fake_2b7e151628aed2a6abf7158809cf4f3c';

export type Op =
	| 'schema'
	| 'createCredential'
	| 'deleteCredential'
	| 'createWorkflow'
	| 'activate'
	| 'deleteWorkflow'
	| 'getCredential'
	| 'getWorkflow'
	| 'deactivate'
	| 'testCredential';

export interface Fake {
	url: string;
	credentials: Map<string, { name: string; type: string; data: Record<string, unknown> }>;
	workflows: Map<string, { body: any; active: boolean; triggerCount: number; staticData: Record<string, unknown> | null }>;
	/** How n8n activates (see the top of this file); 1 by default. */
	line: 1 | 2;
	/** Line 2: whether the background publication starts the trigger ('never': it never ends). */
	publication: 'succeeds' | 'fails' | 'never';
	publishMs: number;
	/** Line 2: what POST /credentials/{id}/test answers. */
	credentialTest: { status: 'OK' | 'Error'; message: string };
	/** Answer every request with this redirect (status, Location) instead. */
	redirect?: { status: number; location: string };
	/** every request: method, path, body text */
	requests: Array<{ method: string; path: string; body: string }>;
	/** answer a request of this kind with this status and message: the next one, or the one after `skip` more */
	fail(op: Op, status: number, message: string, skip?: number): void;
	/** credential types n8n knows (the package's, by default) */
	types: Set<string>;
	/** answer everything with an HTML page, as a web server that is not n8n does */
	html: boolean;
	close(): Promise<void>;
}

export async function startFakeN8n(): Promise<Fake> {
	let next = 1;
	const failures = new Map<Op, { status: number; message: string; skip: number }>();
	const fake: Fake = {
		url: '',
		credentials: new Map(),
		workflows: new Map(),
		requests: [],
		fail: (op, status, message, skip = 0) => failures.set(op, { status, message, skip }),
		types: new Set(['pardotApi', 'pardotOAuth2Api', 'pardotCallbackSigningApi']),
		html: false,
		line: 1,
		publication: 'succeeds',
		publishMs: 300,
		credentialTest: { status: 'OK', message: 'Connection successful!' },
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((r) => server.close(() => r()));
		},
	};
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const path = (req.url ?? '/').split('?')[0];
			fake.requests.push({ method: req.method ?? '', path, body });
			const send = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(json));
			if (fake.redirect) return res.writeHead(fake.redirect.status, { location: fake.redirect.location }).end();
			if (fake.html) return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Welcome</title>');
			if (!path.startsWith('/api/v1/')) return send(404, { message: 'Not Found' });
			if (req.headers['x-n8n-api-key'] !== API_KEY) return send(401, { message: 'Unauthorized' });
			const route = routeOf(req.method ?? '', path.slice('/api/v1'.length));
			if (!route) return send(404, { message: 'Not Found' });
			const failure = failures.get(route.op);
			if (failure && failure.skip > 0) failure.skip--;
			else if (failure) {
				failures.delete(route.op);
				return send(failure.status, { message: failure.message });
			}
			const json = body ? JSON.parse(body) : {};
			switch (route.op) {
				case 'schema':
					return fake.types.has(route.id) ? send(200, { type: 'object', additionalProperties: false, properties: {} }) : send(404, { message: 'Not Found' });
				case 'getCredential': {
					const c = fake.credentials.get(route.id);
					return c ? send(200, { id: route.id, name: c.name, type: c.type }) : send(404, { message: 'Credential not found' });
				}
				case 'createCredential': {
					if (!fake.types.has(json.type)) return send(400, { message: 'req.body.type is not a known type' });
					const id = `cred${next++}`;
					fake.credentials.set(id, { name: json.name, type: json.type, data: json.data });
					return send(200, { id, name: json.name, type: json.type, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() });
				}
				case 'deleteCredential': {
					const c = fake.credentials.get(route.id);
					if (!c) return send(404, { message: 'Not Found' });
					fake.credentials.delete(route.id);
					return send(200, { id: route.id, name: c.name, type: c.type });
				}
				case 'createWorkflow': {
					const extra = Object.keys(json).filter((k) => !['name', 'nodes', 'connections', 'settings'].includes(k));
					if (extra.length || !json.settings) return send(400, { message: 'request/body must NOT have additional properties' });
					const id = `wf${next++}`;
					fake.workflows.set(id, { body: json, active: false, triggerCount: 0, staticData: null });
					return send(200, { id, ...json, active: false });
				}
				case 'activate': {
					const w = fake.workflows.get(route.id);
					if (!w) return send(404, { message: 'Not Found' });
					w.active = true;
					const position = { [`node:${w.body.nodes[0].name}`]: { version: 2, cursors: { prospects: { at: new Date().toISOString() } } } };
					if (fake.line === 1) {
						Object.assign(w, { triggerCount: 1, staticData: position });
					} else if (fake.publication !== 'never') {
						setTimeout(() => Object.assign(w, { triggerCount: 1, staticData: fake.publication === 'succeeds' ? position : null }), fake.publishMs);
					}
					return send(200, { id: route.id, active: true, triggerCount: w.triggerCount });
				}
				case 'getWorkflow': {
					const w = fake.workflows.get(route.id);
					if (!w) return send(404, { message: 'Not Found' });
					return send(200, { id: route.id, ...w.body, active: w.active, triggerCount: w.triggerCount, staticData: w.staticData });
				}
				case 'testCredential': {
					if (fake.line === 1) return send(404, { message: 'Not Found' });
					return fake.credentials.has(route.id) ? send(200, fake.credentialTest) : send(404, { message: 'Not Found' });
				}
				case 'deleteWorkflow': {
					// n8n 2.x deletes no published workflow.
					if (fake.line === 2 && fake.workflows.get(route.id)?.active) return send(409, { message: 'Cannot delete a published workflow. Unpublish it before deleting.' });
					if (!fake.workflows.delete(route.id)) return send(404, { message: 'Not Found' });
					return send(200, { id: route.id });
				}
				case 'deactivate': {
					const w = fake.workflows.get(route.id);
					if (!w) return send(404, { message: 'Not Found' });
					w.active = false;
					return send(200, { id: route.id, active: false });
				}
			}
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return fake;
}

function routeOf(method: string, path: string): { op: Op; id: string } | undefined {
	let m: RegExpExecArray | null;
	if (method === 'GET' && (m = /^\/credentials\/schema\/([^/]+)$/.exec(path))) return { op: 'schema', id: decodeURIComponent(m[1]) };
	if (method === 'GET' && (m = /^\/credentials\/([^/]+)$/.exec(path))) return { op: 'getCredential', id: decodeURIComponent(m[1]) };
	if (method === 'POST' && path === '/credentials') return { op: 'createCredential', id: '' };
	if (method === 'DELETE' && (m = /^\/credentials\/([^/]+)$/.exec(path))) return { op: 'deleteCredential', id: decodeURIComponent(m[1]) };
	if (method === 'POST' && path === '/workflows') return { op: 'createWorkflow', id: '' };
	if (method === 'POST' && (m = /^\/workflows\/([^/]+)\/activate$/.exec(path))) return { op: 'activate', id: decodeURIComponent(m[1]) };
	if (method === 'GET' && (m = /^\/workflows\/([^/]+)$/.exec(path))) return { op: 'getWorkflow', id: decodeURIComponent(m[1]) };
	if (method === 'POST' && (m = /^\/workflows\/([^/]+)\/deactivate$/.exec(path))) return { op: 'deactivate', id: decodeURIComponent(m[1]) };
	if (method === 'POST' && (m = /^\/credentials\/([^/]+)\/test$/.exec(path))) return { op: 'testCredential', id: decodeURIComponent(m[1]) };
	if (method === 'DELETE' && (m = /^\/workflows\/([^/]+)$/.exec(path))) return { op: 'deleteWorkflow', id: decodeURIComponent(m[1]) };
	return undefined;
}
