/** Which handler answers a request, and Pardot's error envelope for the API family the request used. */
import { formatOf, objectOfEndpoint, type HandlerState, type RequestContext } from './context';
import { PardotError } from './errors';
import { legacyLogin, legacyQuery } from './legacy';
import { oauthAuthorize, oauthToken } from './oauth';
import { legacyFail, textReply, v5Fail, type Reply } from './render';
import type { SimulatorConfig } from './types';
import { v5Query } from './v5';

/** Renders a Pardot error in the envelope of the API family the request used. */
export function errorReply(config: Readonly<SimulatorConfig>, ctx: RequestContext, error: PardotError): Reply {
	const limit = error.code === 66 || error.code === 122;
	if (ctx.url.pathname.startsWith('/api/v5/')) {
		return v5Fail(error.code, error.message, error.status ?? (limit ? config.v5LimitStatus : 400));
	}
	return legacyFail(formatOf(ctx), error.code, error.message, error.status ?? (limit ? config.legacyLimitStatus : 200));
}

/** Answers a request for `endpoint` (context.ts, endpointOf); a PardotError a handler throws becomes its envelope. */
export function route(state: HandlerState, ctx: RequestContext, endpoint: string): Reply {
	const path = ctx.url.pathname;
	try {
		const object = objectOfEndpoint(endpoint);
		if (object?.family === 'legacy') {
			const version = /\/version\/([^/]+)\//.exec(path)![1];
			return legacyQuery(state, ctx, object.type, version);
		}
		if (object?.family === 'v5') return v5Query(state, ctx, object.type);
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
