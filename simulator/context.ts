/**
 * What a handler (legacy.ts, v5.ts, oauth.ts) gets: the request, classified, and the part of the
 * simulator's state it may read and change. Types and small helpers only; imports no handler.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { IANAZone } from 'luxon';

import { OBJECTS, RECORD_TYPES } from './objects';
import type { ImportJobs } from './jobs';
import type { Sessions } from './sessions';
import type { Store } from './store';
import type { RecordType, SimulatorConfig } from './types';

/** What a handler gets about a request. */
export interface RequestContext {
	method: string;
	url: URL;
	/** Query string parameters only. */
	query: URLSearchParams;
	/** Query string merged with a form-urlencoded body (body wins), as Pardot reads v3/v4 parameters. */
	params: URLSearchParams;
	headers: IncomingHttpHeaders;
	/** The request body as text (v5 JSON, multipart uploads; v3/v4 form bodies are in `params` too). */
	body: string;
	/** Scheme, host and port the client used (for URLs in answers). */
	origin: string;
}

/** The simulator state a handler may use; the pipeline, faults, stats and control stay out of reach. */
export interface HandlerState {
	readonly config: Readonly<SimulatorConfig>;
	/** The API user's zone (`timezone`): v3/v4 and v5 render and parse dates in it. */
	readonly zone: IANAZone;
	readonly store: Store;
	/** Issued credentials, failed logins and v5 page tokens. */
	readonly sessions: Sessions;
	/** The Import API's imports. */
	readonly imports: ImportJobs;
	/** The simulated clock, in ms. */
	now(): number;
	/** Counts an authenticated API call against the daily allocation; throws PardotError 122 once it is used up. */
	chargeApiCall(): void;
	/** How far behind the primary data this v5 read is, in ms (v5LagModel). */
	v5Staleness(): number;
	/** How far behind this v3/v4 read is, in ms (legacyLagModel), or null: no lag, the latest data. */
	legacyStaleness(): number | null;
	/** A fresh tie-breaking salt for legacyTieOrder 'arbitrary' (one per request). */
	tieSalt(): number;
}

/** `<legacyPath>.query` (e.g. `visitorActivity.query`): the stats name of an object's v3/v4 query. */
export const legacyEndpoint = (type: RecordType) => `${OBJECTS[type].legacyPath}.query`;
/** `v5.<v5Path>` (e.g. `v5.visitor-activities`): the stats name of an object's v5 query. */
export const v5Endpoint = (type: RecordType) => `v5.${OBJECTS[type].v5Path}`;

/** Endpoint names `control.stats()` lists from the start (0 until used); the names of writes, reads of one record and imports appear once used. */
export const ENDPOINTS = ['login', ...RECORD_TYPES.map(legacyEndpoint), ...RECORD_TYPES.map(v5Endpoint), 'oauth.token'];

/** `v5.<v5Path>.<op>` (e.g. `v5.prospects.create`): a v5 operation on one record or the upsert. */
export const v5OperationEndpoint = (type: RecordType, op: string) => `${v5Endpoint(type)}.${op}`;
/** `<legacyPath>.<action>` (e.g. `prospect.create`): a v3/v4 operation besides the query. */
export const legacyOperationEndpoint = (type: RecordType, action: string) => `${OBJECTS[type].legacyPath}.${action}`;

/** The v5 Import API's endpoints: create (POST), read (GET one), update (PATCH), batches (POST a batch), errors (GET the errors file), query (GET the list: not simulated). */
export const IMPORT_ENDPOINTS = ['v5.imports.create', 'v5.imports.read', 'v5.imports.update', 'v5.imports.batches', 'v5.imports.errors', 'v5.imports.query'];

/** What an endpoint name stands for: an object operation of one API family, or an import operation. */
export type EndpointTarget =
	| { family: 'legacy'; type: RecordType; op: string }
	| { family: 'v5'; type: RecordType; op: 'query' | 'create' | 'read' | 'update' | 'delete' | 'upsertLatestByEmail' }
	| { family: 'import'; op: 'create' | 'read' | 'update' | 'batches' | 'errors' | 'query' };

/** The object and operation of an endpoint name (as endpointOf gives them), or null (login, OAuth, other). */
export function targetOf(endpoint: string): EndpointTarget | null {
	if (IMPORT_ENDPOINTS.includes(endpoint)) return { family: 'import', op: endpoint.slice('v5.imports.'.length) as 'create' };
	for (const type of RECORD_TYPES) {
		if (endpoint === legacyEndpoint(type)) return { family: 'legacy', type, op: 'query' };
		if (endpoint === v5Endpoint(type)) return { family: 'v5', type, op: 'query' };
		for (const action of OBJECTS[type].legacyActions) {
			if (endpoint === legacyOperationEndpoint(type, action)) return { family: 'legacy', type, op: action };
		}
		for (const op of ['create', 'read', 'update', 'delete', 'upsertLatestByEmail'] as const) {
			if (endpoint === v5OperationEndpoint(type, op)) return { family: 'v5', type, op };
		}
	}
	return null;
}

const typeOfV5Path = (name: string) => RECORD_TYPES.find((t) => OBJECTS[t].v5Path === name);

/**
 * The endpoint a request is for: one of ENDPOINTS (logins, queries, tokens), a write or read of one
 * record (`prospect.create`, `v5.prospects.update`...), an import operation, 'oauth.authorize',
 * 'index' or 'other'. v5 names follow the path and method: POST on a collection whose object has
 * v5 writes is `.create` (on the others it stays the query's name, refused with 405 as before), GET
 * on `/<id>` is `.read`, PATCH `.update` and DELETE `.delete` where the object has v5 writes (any
 * other method on `/<id>` is `.read`, refused with 405).
 */
export function endpointOf(method: string, path: string): string {
	if (/^\/api\/login\/version\/[^/]+\/?$/.test(path)) return 'login';
	const legacy = /^\/api\/([A-Za-z]+)\/version\/[^/]+\/do\/query\/?/.exec(path);
	const legacyType = legacy && RECORD_TYPES.find((t) => OBJECTS[t].legacyPath === legacy[1]);
	if (legacyType) return legacyEndpoint(legacyType);
	const action = /^\/api\/([A-Za-z]+)\/version\/[^/]+\/do\/([A-Za-z]+)(?:\/|$)/.exec(path);
	const actionType = action && RECORD_TYPES.find((t) => OBJECTS[t].legacyPath === action[1]);
	if (actionType && OBJECTS[actionType].legacyActions.includes(action![2])) return legacyOperationEndpoint(actionType, action![2]);
	const v5 = /^\/api\/v5\/objects\/([a-z-]+)\/?$/.exec(path);
	const v5Type = v5 && typeOfV5Path(v5[1]);
	if (v5Type) return method === 'POST' && OBJECTS[v5Type].v5Writes ? v5OperationEndpoint(v5Type, 'create') : v5Endpoint(v5Type);
	const item = /^\/api\/v5\/objects\/([a-z-]+)\/\d+\/?$/.exec(path);
	const itemType = item && typeOfV5Path(item[1]);
	if (itemType) {
		const writes = OBJECTS[itemType].v5Writes;
		if (method === 'PATCH' && writes) return v5OperationEndpoint(itemType, 'update');
		if (method === 'DELETE' && writes) return v5OperationEndpoint(itemType, 'delete');
		return v5OperationEndpoint(itemType, 'read');
	}
	if (/^\/api\/v5\/objects\/prospects\/do\/upsertLatestByEmail\/?$/.test(path)) return v5OperationEndpoint('prospect', 'upsertLatestByEmail');
	if (/^\/api\/v5\/imports\/?$/.test(path)) return method === 'POST' ? 'v5.imports.create' : 'v5.imports.query';
	if (/^\/api\/v5\/imports\/\d+\/?$/.test(path)) return method === 'PATCH' ? 'v5.imports.update' : 'v5.imports.read';
	if (/^\/api\/v5\/imports\/\d+\/batches\/?$/.test(path)) return 'v5.imports.batches';
	if (/^\/api\/v5\/imports\/\d+\/errors\/?$/.test(path)) return 'v5.imports.errors';
	if (path === '/services/oauth2/token') return 'oauth.token';
	if (path === '/services/oauth2/authorize') return 'oauth.authorize';
	return method === 'GET' && path === '/' ? 'index' : 'other';
}

/** Pardot answers v3/v4 in XML unless format=json is given. */
export function formatOf(ctx: RequestContext): 'json' | 'xml' {
	return (ctx.params.get('format') ?? '').toLowerCase() === 'json' ? 'json' : 'xml';
}
