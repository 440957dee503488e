import type { IDataObject } from 'n8n-workflow';

import type { PardotConnection, PardotContext, PardotResponse, RequestSpec, TransportOptions } from '../../shared/transport';
import { pardotRequest } from '../../shared/transport';

/**
 * The action node's view of Pardot: one connection for the whole execution, the API family it speaks, and the
 * three request shapes the operations need (v5 JSON objects, v3/v4 `do/<action>` calls, queries). Every request
 * goes through the shared transport (nodes/shared/transport): authentication, retries, answers read safely.
 */

export type Family = 'v5' | 'legacy';

/** What tests and the bench may change; the node runs with the defaults. */
export interface ActionOptions {
	transport?: TransportOptions;
	/** Items worked on at once (Pardot allows 5 concurrent requests per user, shared with every integration). */
	concurrency?: number;
	/** The first wait between two looks at an import's status; it doubles up to importPollMaxMs. */
	importPollMs?: number;
	importPollMaxMs?: number;
	/** How long an import may take before the node stops waiting for it. */
	importTimeoutMs?: number;
}

export const DEFAULT_CONCURRENCY = 3;

export class PardotApi {
	readonly family: Family;

	constructor(
		readonly ctx: PardotContext,
		readonly conn: PardotConnection,
		readonly transport: TransportOptions = {},
	) {
		this.family = conn.apiVersion === '5' ? 'v5' : 'legacy';
	}

	async request(spec: RequestSpec): Promise<PardotResponse> {
		return await pardotRequest(this.ctx, this.conn, spec, this.transport);
	}

	/** A v5 object request: `/api/v5/objects/<object>[/<id>]`. */
	async v5(
		method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
		object: string,
		options: { id?: string | number; action?: string; query?: RequestSpec['query']; json?: IDataObject; idempotent?: boolean } = {},
	): Promise<PardotResponse> {
		const id = options.id === undefined ? '' : `/${encodeURIComponent(String(options.id))}`;
		const action = options.action ? `/do/${options.action}` : '';
		return await this.request({
			method,
			path: `/api/v5/objects/${object}${id}${action}`,
			query: options.query,
			body: options.json ? { json: options.json } : undefined,
			idempotent: options.idempotent,
		});
	}

	/**
	 * A v3/v4 call `/api/<object>/version/<3|4>/do/<action>/<key>/<value>...`, POSTed with its parameters as a
	 * form (values stay out of URLs and logs), answered as JSON. `version` overrides the credential's.
	 */
	async legacy(
		object: string,
		action: string,
		keys: Array<[string, string | number]>,
		params: IDataObject = {},
		options: { idempotent?: boolean; version?: '3' | '4' } = {},
	): Promise<PardotResponse> {
		const version = options.version ?? this.conn.apiVersion;
		const path = keys.map(([k, v]) => `/${k}/${encodeURIComponent(String(v))}`).join('');
		const form: Record<string, string> = { format: 'json' };
		for (const [name, value] of Object.entries(params)) {
			if (value !== undefined && value !== null) form[name] = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
		}
		return await this.request({
			method: 'POST',
			path: `/api/${object}/version/${version}/do/${action}${path}`,
			body: { form },
			idempotent: options.idempotent,
		});
	}
}

/** The records of a v3/v4 answer under `key` (one record is an object, none is absent): always a list. */
export function legacyRecords(body: IDataObject, key: string): IDataObject[] {
	const holder = (body.result as IDataObject | null | undefined) ?? body;
	const value = holder?.[key];
	if (value === undefined || value === null) return [];
	return (Array.isArray(value) ? value : [value]) as IDataObject[];
}

/** The first record of a v3/v4 write or read answer. */
export function legacyRecord(body: IDataObject, key: string): IDataObject {
	return legacyRecords(body, key)[0] ?? {};
}
