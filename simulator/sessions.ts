/**
 * What the simulator remembers between requests: issued api_keys, OAuth tokens and codes, failed
 * logins, and the query behind each v5 page token. Plain maps; the handlers apply Pardot's rules.
 */
import type { RecordType } from './types';

export interface ApiKeyInfo {
	email: string;
	userKey: string;
	expiresAt: number;
}

export interface AccessTokenInfo {
	clientId: string;
	expiresAt: number;
}

export interface RefreshTokenInfo {
	clientId: string;
	scope: string;
}

export interface AuthCodeInfo {
	clientId: string;
	redirectUri: string | null;
	expiresAt: number;
	scope: string;
}

export interface LoginFailures {
	count: number;
	lockedUntil: number;
}

/** The query a v5 nextPageToken continues. */
export interface V5PageState {
	type: RecordType;
	fields: string[];
	order: Array<{ field: 'id' | 'createdAt' | 'updatedAt'; desc: boolean }>;
	filters: Array<{ field: 'id' | 'createdAt' | 'updatedAt'; op: 'gt' | 'gte' | 'lt' | 'lte'; value: number }>;
	/** Equality filters on a field (e.g. listId, type): the record's value is one of `values`. */
	match: Array<{ key: string; values: number[] }>;
	deleted: 'true' | 'false' | 'all';
	limit: number;
	/**
	 * How the token continues (v5PageTokens when the query started): 'keyset' strictly after `after`;
	 * 'offset' re-runs the query on the data visible then and skips the `returned` records before.
	 */
	paging: 'keyset' | 'offset';
	/** Sort values of the last record returned (keyset), in `order` order. */
	after: number[];
	/** Records returned so far in this token sequence (the v5MaxRecordsPerQuery cap; the 'offset' skip). */
	returned: number;
	expiresAt: number;
}

export class Sessions {
	readonly apiKeys = new Map<string, ApiKeyInfo>();
	readonly accessTokens = new Map<string, AccessTokenInfo>();
	readonly refreshTokens = new Map<string, RefreshTokenInfo>();
	readonly authCodes = new Map<string, AuthCodeInfo>();
	/** By lower-case email. */
	readonly loginFailures = new Map<string, LoginFailures>();
	readonly v5Pages = new Map<string, V5PageState>();

	clear(): void {
		this.apiKeys.clear();
		this.accessTokens.clear();
		this.refreshTokens.clear();
		this.authCodes.clear();
		this.loginFailures.clear();
		this.v5Pages.clear();
	}

	/** Expires every issued api_key and access token at `past` at the latest; answers how many there were. */
	expireCredentials(past: number): number {
		let expired = 0;
		for (const info of [...this.apiKeys.values(), ...this.accessTokens.values()]) {
			info.expiresAt = Math.min(info.expiresAt, past);
			expired++;
		}
		return expired;
	}
}
