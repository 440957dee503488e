/** Which handler answers a request, and Pardot's error envelope for the API family the request used. */
import { formatOf, targetOf, type HandlerState, type RequestContext } from './context';
import { PardotError } from './errors';
import { legacyLogin, legacyQuery } from './legacy';
import { importBatch, importCreate, importErrors, importQuery, importRead, importUpdate } from './imports';
import { legacyWrite } from './legacy-writes';
import { oauthAuthorize, oauthToken } from './oauth';
import { legacyFail, textReply, v5Fail, type Reply } from './render';
import type { SimulatorConfig } from './types';
import { v5Query } from './v5';
import { v5Create, v5Delete, v5ReadOne, v5Update, v5UpsertLatestByEmail } from './v5-writes';

/** Renders a Pardot error in the envelope of the API family the request used. */
export function errorReply(config: Readonly<SimulatorConfig>, ctx: RequestContext, error: PardotError): Reply {
	const limit = error.code === 66 || error.code === 122;
	if (ctx.url.pathname.startsWith('/api/v5/')) {
		return v5Fail(error.code, error.message, error.status ?? (limit ? config.v5LimitStatus : 400), error.headers);
	}
	return legacyFail(formatOf(ctx), error.code, error.message, error.status ?? (limit ? config.legacyLimitStatus : 200));
}

/** The handler of an object or import operation (context.ts, targetOf), or null. */
function objectHandler(state: HandlerState, ctx: RequestContext, endpoint: string): (() => Reply) | null {
	const target = targetOf(endpoint);
	if (!target) return null;
	const path = ctx.url.pathname;
	if (target.family === 'legacy') {
		const version = /\/version\/([^/]+)\//.exec(path)![1];
		if (target.op === 'query') return () => legacyQuery(state, ctx, target.type, version);
		return () => legacyWrite(state, ctx, target.type, target.op, version);
	}
	if (target.family === 'import') {
		const handler = { create: importCreate, read: importRead, update: importUpdate, batches: importBatch, errors: importErrors, query: importQuery }[target.op];
		return () => handler(state, ctx);
	}
	if (target.family === 'v5') {
		switch (target.op) {
			case 'query':
				return () => v5Query(state, ctx, target.type);
			case 'read':
				return () => v5ReadOne(state, ctx, target.type);
			case 'create':
				return () => v5Create(state, ctx, target.type);
			case 'update':
				return () => v5Update(state, ctx, target.type);
			case 'delete':
				return () => v5Delete(state, ctx, target.type);
			default:
				return () => v5UpsertLatestByEmail(state, ctx);
		}
	}
	return null;
}

/** Answers a request for `endpoint` (context.ts, endpointOf); a PardotError a handler throws becomes its envelope. */
export function route(state: HandlerState, ctx: RequestContext, endpoint: string): Reply {
	const path = ctx.url.pathname;
	try {
		const handler = objectHandler(state, ctx, endpoint);
		if (handler) return handler();
		switch (endpoint) {
			case 'login': {
				const version = /^\/api\/login\/version\/([^/]+)/.exec(path)![1];
				return legacyLogin(state, ctx, version);
			}
			case 'oauth.token':
				return oauthToken(state, ctx);
			case 'oauth.authorize':
				return oauthAuthorize(state, ctx);
			case 'index':
				return textReply(200, 'Pardot API simulator (n8n-nodes-pardot). See ARCHITECTURE.md.\n');
		}
		if (path.startsWith('/api/v5/')) return v5Fail(404, 'The requested resource was not found', 404);
		if (path.startsWith('/api/')) return errorReply(state.config, ctx, new PardotError(2, 200, 'Invalid action'));
		return textReply(404, 'Not Found');
	} catch (error) {
		if (error instanceof PardotError) return errorReply(state.config, ctx, error);
		throw error;
	}
}
