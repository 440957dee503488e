/**
 * HTTP helpers for the simulator's write tests (the read helpers are in test/lib/simulator.ts): v5
 * JSON writes and reads of one record, v3/v4 operations with their path identifiers, multipart uploads.
 */
import type { SimulatorHandle } from '../../simulator';
import { bearer, http, legacyAuth, type HttpResult } from '../lib/simulator';

/** A v5 request with a JSON body (when `body` is given); `path` is below /api/v5/. */
export function v5Call(
	sim: SimulatorHandle,
	token: string,
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = {},
): Promise<HttpResult> {
	const init: RequestInit = { method, headers: { ...bearer(token), ...headers } };
	if (body !== undefined) {
		init.body = typeof body === 'string' ? body : JSON.stringify(body);
		(init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
	}
	return http(`${sim.baseUrl}/api/v5/${path}`, init);
}

/**
 * A v3/v4 operation: `/api/<object>/version/<v>/do/<action>/<k1>/<v1>/...?format=json&<params>`.
 * `method` POST sends the parameters as a form body instead.
 */
export function legacyCall(
	sim: SimulatorHandle,
	key: string,
	object: string,
	action: string,
	ids: Array<[string, string | number]> = [],
	params: Record<string, string | number> = {},
	options: { version?: 3 | 4; method?: string; format?: 'json' | 'xml' } = {},
): Promise<HttpResult> {
	const path = ids.map(([k, v]) => `/${k}/${encodeURIComponent(String(v))}`).join('');
	const values = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
	if ((options.format ?? 'json') === 'json') values.set('format', 'json');
	const url = `${sim.baseUrl}/api/${object}/version/${options.version ?? 4}/do/${action}${path}`;
	const method = options.method ?? 'GET';
	if (method === 'POST') {
		return http(url, {
			method,
			headers: { ...legacyAuth(key), 'Content-Type': 'application/x-www-form-urlencoded' },
			body: values.toString(),
		});
	}
	return http(`${url}?${values}`, { method, headers: legacyAuth(key) });
}

/** A multipart/form-data body with text parts: `[name, content, filename?]`. */
export function multipart(parts: Array<[string, string, string?]>): { body: string; contentType: string } {
	const boundary = '----simtest7d1c0e';
	const body =
		parts
			.map(([name, content, filename]) => {
				const disposition = `form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}`;
				const type = filename ? 'text/csv' : 'application/json';
				return `--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${type}\r\n\r\n${content}\r\n`;
			})
			.join('') + `--${boundary}--\r\n`;
	return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
