/**
 * What a handler (legacy.ts, v5.ts, oauth.ts) gets: the request, classified, and the part of the
 * simulator's state it may read and change. Types and small helpers only; imports no handler.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { IANAZone } from 'luxon';

import { OBJECTS, RECORD_TYPES } from './objects';
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

/** Endpoint names as `control.stats()` counts them. */
export const ENDPOINTS = ['login', ...RECORD_TYPES.map(legacyEndpoint), ...RECORD_TYPES.map(v5Endpoint), 'oauth.token'];

/** The object whose v3/v4 query (`<name>.query`) or v5 query (`v5.<name>`) an endpoint name is, if any. */
export function objectOfEndpoint(endpoint: string): { type: RecordType; family: 'legacy' | 'v5' } | null {
	for (const type of RECORD_TYPES) {
		if (endpoint === legacyEndpoint(type)) return { type, family: 'legacy' };
		if (endpoint === v5Endpoint(type)) return { type, family: 'v5' };
	}
	return null;
}

/** The endpoint a request is for: one of ENDPOINTS, 'oauth.authorize', 'index' or 'other'. */
export function endpointOf(method: string, path: string): string {
	if (/^\/api\/login\/version\/[^/]+\/?$/.test(path)) return 'login';
	const legacy = /^\/api\/([A-Za-z]+)\/version\/[^/]+\/do\/query\/?/.exec(path);
	const legacyType = legacy && RECORD_TYPES.find((t) => OBJECTS[t].legacyPath === legacy[1]);
	if (legacyType) return legacyEndpoint(legacyType);
	const v5 = /^\/api\/v5\/objects\/([a-z-]+)\/?$/.exec(path);
	const v5Type = v5 && RECORD_TYPES.find((t) => OBJECTS[t].v5Path === v5[1]);
	if (v5Type) return v5Endpoint(v5Type);
	if (path === '/services/oauth2/token') return 'oauth.token';
	if (path === '/services/oauth2/authorize') return 'oauth.authorize';
	return method === 'GET' && path === '/' ? 'index' : 'other';
}

/** Pardot answers v3/v4 in XML unless format=json is given. */
export function formatOf(ctx: RequestContext): 'json' | 'xml' {
	return (ctx.params.get('format') ?? '').toLowerCase() === 'json' ? 'json' : 'xml';
}
