import type { IDataObject } from 'n8n-workflow';

/**
 * Reading what Pardot answered: the body as JSON, Pardot's error envelopes, its clock (HTTP `Date`)
 * and its warnings. Pure: the caller turns a problem into the error the user sees.
 */

/** An HTTP answer as n8n's helpers return it (`returnFullResponse`), or as an error carries it. */
export interface RawResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

/** The body as a JSON object, or what came instead (for "Instead of Pardot JSON the server sent ..."). */
export type ParsedBody = { body: IDataObject } | { unexpected: string };

/** Of an HTML error page's title, this much is quoted in the message. */
const TITLE_CHARS = 80;

export function parseBody(response: RawResponse): ParsedBody {
	let body = response.body;
	if (body === undefined) return { unexpected: 'a body n8n did not pass on (not JSON)' };
	if (body instanceof Uint8Array) body = Buffer.from(body).toString('utf8');
	if (typeof body === 'string') {
		const text = body.trim();
		if (!text.startsWith('{') && !text.startsWith('[')) {
			const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
			const what = text.startsWith('<')
				? `an HTML page${title ? ` ("${title.slice(0, TITLE_CHARS)}")` : ''}`
				: text
					? 'a body that is not JSON'
					: 'an empty body';
			return { unexpected: what };
		}
		try {
			body = JSON.parse(text);
		} catch {
			return { unexpected: 'JSON that is cut off or malformed' };
		}
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return { unexpected: 'a JSON value that is not an object' };
	}
	return { body: body as IDataObject };
}

/** Whether an unparsed body carries a Pardot error code (then a 5xx is Pardot's answer, not an outage). */
export function looksLikePardotError(body: unknown): boolean {
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
	return /"err_code"|"code"\s*:\s*\d/.test(text);
}

/** v3/v4 `{"@attributes":{"stat":"fail","err_code":N},"err":"..."}` or v5 `{"code":N,"message":"..."}`. */
export function pardotFailure(body: IDataObject): { code: number; message: string } | undefined {
	const attributes = body['@attributes'] as IDataObject | undefined;
	if (attributes && attributes.stat === 'fail') {
		return { code: Number(attributes.err_code), message: String(body.err ?? '') };
	}
	if (typeof body.code === 'number' || (typeof body.code === 'string' && /^\d+$/.test(body.code))) {
		if (!('values' in body)) return { code: Number(body.code), message: String(body.message ?? '') };
	}
	return undefined;
}

/** `Pardot-Warning` headers (v5), e.g. "203;Record count for nextPageToken sequence has been exceeded". */
export function warningsOf(headers: Record<string, unknown>): string[] {
	const raw = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'pardot-warning')?.[1];
	return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String).filter(Boolean);
}

/** Pardot's clock at the answer (HTTP `Date`), ms since epoch; undefined when absent or unreadable. */
export function parseDateHeader(headers: Record<string, unknown>): number | undefined {
	const raw = headers?.date ?? headers?.Date;
	const parsed = typeof raw === 'string' ? Date.parse(raw) : NaN;
	return Number.isFinite(parsed) ? parsed : undefined;
}

/** The HTTP status and body of a failed request, from an axios error or n8n's NodeApiError. */
export function errorResponse(error: any): RawResponse | undefined {
	for (const candidate of [error?.response, error?.cause?.response, error?.cause?.cause?.response]) {
		const status = Number(candidate?.status ?? candidate?.statusCode);
		if (candidate && Number.isFinite(status) && status > 0) {
			return { body: candidate.data ?? candidate.body, headers: candidate.headers ?? {}, statusCode: status };
		}
	}
	const httpCode = Number(error?.httpCode);
	if (Number.isFinite(httpCode) && httpCode >= 300) {
		// n8n keeps the answer's body in context.data; asked for a stream, that is the HTTP message itself, which
		// also carries the headers (a redirect's Location) that the error lost.
		const data = error?.context?.data;
		const message = typeof data?.statusCode === 'number' && data?.headers && typeof data.headers === 'object';
		return { body: data, headers: message ? data.headers : {}, statusCode: httpCode };
	}
	return undefined;
}
