/**
 * `helpers.httpRequest` as n8n runs it, over real HTTP (Node's http/https, keep-alive agents).
 *
 * What n8n does, read from n8n-io/n8n (master, 2026):
 * - packages/core/src/execution-engine/node-execution-context/utils/request-helpers/http-request.ts
 *   (`httpRequest`, `convertN8nRequestToAxios`, `removeEmptyBody`) turns IHttpRequestOptions into an
 *   axios config and returns `result.data`, or `{ body, headers, statusCode, statusMessage }` with
 *   `returnFullResponse`. Errors are axios errors, passed through untouched.
 * - .../request-helpers/axios-config.ts sets the global axios defaults: `timeout` 300000 ms,
 *   no default Content-Type for POST/PUT/PATCH when there is no body, and
 *   `paramsSerializer = qs.stringify(params, { arrayFormat: 'indices' })`.
 * - .../utils/outbound-user-agent.ts: `User-Agent: n8n` unless the request sets one.
 *
 * What axios itself then does (lib/defaults, lib/adapters/http.js, lib/core/settle.js), mirrored here:
 * - URL: `baseURL` and `url` are joined by string concatenation (one slash between them) unless `url`
 *   is absolute; the serialized `qs` is appended with `?` or `&`.
 * - Request body: a plain object is sent as JSON (Content-Type application/json unless set), or
 *   urlencoded when the Content-Type contains application/x-www-form-urlencoded (nested keys as
 *   `a[b]`, arrays as `a[]`, null/undefined skipped); URLSearchParams as a form; string/Buffer as is.
 *   A GET never sends a body; an empty object body is not sent. POST/PUT/PATCH with a body and no
 *   Content-Type get application/x-www-form-urlencoded (axios' default).
 * - Response body: decompressed (gzip/deflate/br), decoded as UTF-8 (BOM stripped) unless
 *   `encoding: 'arraybuffer'` (a Buffer). With no `encoding`, or `encoding: 'json'`, axios tries
 *   JSON.parse on any non-empty text whatever the Content-Type and silently keeps the string when it
 *   does not parse (so a truncated JSON answer arrives as a string, and the text `123` as a number).
 *   `encoding: 'text'` never parses.
 * - Status: anything outside 200-299 rejects with an AxiosError `Request failed with status code N`
 *   (`code` ERR_BAD_REQUEST for 4xx, ERR_BAD_RESPONSE for 5xx; `response.data` is the parsed body)
 *   unless `ignoreHttpStatusErrors` (true: never; `{ ignore: true, except: [...] }`: only those).
 *   Redirects are followed (at most 21) unless `disableFollowRedirect`, in which case a 3xx rejects.
 * - Network failures reject with the Node error's message and `code` (ECONNREFUSED, ECONNRESET
 *   'socket hang up', ...); a timeout (socket idle for `timeout` ms, the default being 300000)
 *   rejects with `timeout of Nms exceeded` and code ECONNABORTED; a body cut off mid-way rejects with
 *   `stream has been aborted` (ERR_BAD_RESPONSE); an aborted `abortSignal` with CanceledError
 *   `canceled` (ERR_CANCELED).
 * Not supported: FormData bodies, proxies, digest auth (`auth.sendImmediately: false`).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { isObjectEmpty } from 'n8n-workflow';

/** The default timeout n8n gives axios (axios-config.ts). */
export const N8N_DEFAULT_TIMEOUT_MS = 300_000;
const MAX_REDIRECTS = 21;

/** What an error's `config` holds, as on an axios error (headers include Authorization, as in axios). */
export interface HarnessRequestConfig {
	method: string;
	url: string;
	headers: Record<string, string>;
	data?: string | Buffer;
	timeout: number;
}

export interface AxiosLikeResponse {
	status: number;
	statusText: string;
	headers: IDataObject;
	data: unknown;
	config: HarnessRequestConfig;
}

/** Shaped like axios' AxiosError (constructor name included: NodeApiError looks at it). */
export class AxiosError extends Error {
	static readonly ERR_BAD_REQUEST = 'ERR_BAD_REQUEST';
	static readonly ERR_BAD_RESPONSE = 'ERR_BAD_RESPONSE';
	static readonly ECONNABORTED = 'ECONNABORTED';
	static readonly ERR_CANCELED = 'ERR_CANCELED';

	readonly isAxiosError = true;
	code?: string;
	cause?: unknown;
	config?: HarnessRequestConfig;
	request?: unknown;
	response?: AxiosLikeResponse;
	status?: number;
	errno?: number;
	syscall?: string;
	address?: string;
	port?: number;

	constructor(
		message: string,
		code?: string,
		config?: HarnessRequestConfig,
		request?: unknown,
		response?: AxiosLikeResponse,
	) {
		super(message);
		this.name = 'AxiosError';
		if (code) this.code = code;
		if (config) this.config = config;
		// The ClientRequest is large and circular: kept, but out of enumeration.
		Object.defineProperty(this, 'request', { value: request, enumerable: false, writable: true });
		if (response) {
			this.response = response;
			this.status = response.status;
		}
	}

	/** Like `AxiosError.from`: keeps the cause's message, name, code, errno, syscall, address, port. */
	static from(
		error: NodeJS.ErrnoException & { address?: string; port?: number },
		code?: string,
		config?: HarnessRequestConfig,
		request?: unknown,
	): AxiosError {
		const wrapped = new AxiosError(error.message, code ?? error.code, config, request);
		wrapped.name = error.name;
		wrapped.cause = error;
		for (const key of ['errno', 'syscall', 'address', 'port'] as const) {
			if (error[key] !== undefined) (wrapped as unknown as Record<string, unknown>)[key] = error[key];
		}
		return wrapped;
	}

	toJSON(): IDataObject {
		return {
			message: this.message,
			name: this.name,
			code: this.code,
			status: this.status,
			config: this.config as unknown as IDataObject,
		};
	}
}

/** axios' CanceledError. */
export class CanceledError extends AxiosError {
	constructor(config?: HarnessRequestConfig, request?: unknown) {
		super('canceled', AxiosError.ERR_CANCELED, config, request);
		this.name = 'CanceledError';
	}
}

/** One line per request sent (after redirects), for tests; no headers or bodies, so no secrets. */
export interface RequestRecord {
	method: string;
	url: string;
	status?: number;
	error?: string;
	ms: number;
}

interface RawResponse {
	status: number;
	statusText: string;
	headers: IDataObject;
	body: Buffer;
	request: http.ClientRequest;
}

export interface TransportOptions {
	/** Called for every request actually sent. */
	onRequest?: (record: RequestRecord) => void;
}

/** Node http(s) with keep-alive agents; one per helpers instance so tests can close them. */
export class Transport {
	readonly httpAgent = new http.Agent({ keepAlive: true });
	readonly httpsAgent = new https.Agent({ keepAlive: true });

	constructor(private readonly options: TransportOptions = {}) {}

	close(): void {
		this.httpAgent.destroy();
		this.httpsAgent.destroy();
	}

	/** Sends one request and follows redirects like follow-redirects does for axios. */
	async send(
		config: HarnessRequestConfig,
		opts: { maxRedirects: number; rejectUnauthorized: boolean; signal?: AbortSignalLike },
	): Promise<RawResponse> {
		let current = { ...config, headers: { ...config.headers } };
		for (let hop = 0; ; hop++) {
			const response = await this.once(current, config, opts);
			const location = response.headers.location;
			if (
				opts.maxRedirects > 0 &&
				[301, 302, 303, 307, 308].includes(response.status) &&
				typeof location === 'string'
			) {
				if (hop >= opts.maxRedirects) {
					const error = new Error('Maximum number of redirects exceeded') as NodeJS.ErrnoException;
					error.code = 'ERR_FR_TOO_MANY_REDIRECTS';
					throw AxiosError.from(error, undefined, config, response.request);
				}
				const next = new URL(location, current.url).href;
				const toGet =
					(response.status === 303 && current.method !== 'HEAD') ||
					((response.status === 301 || response.status === 302) && current.method === 'POST');
				current = { ...current, url: next, headers: { ...current.headers } };
				if (toGet) {
					current.method = 'GET';
					current.data = undefined;
					for (const name of Object.keys(current.headers)) {
						if (/^content-(type|length)$/i.test(name)) delete current.headers[name];
					}
				}
				continue;
			}
			return response;
		}
	}

	private once(
		config: HarnessRequestConfig,
		original: HarnessRequestConfig,
		opts: { rejectUnauthorized: boolean; signal?: AbortSignalLike },
	): Promise<RawResponse> {
		const started = Date.now();
		const record: RequestRecord = { method: config.method, url: config.url, ms: 0 };
		const report = () => {
			record.ms = Date.now() - started;
			this.options.onRequest?.(record);
		};
		return new Promise<RawResponse>((resolve, reject) => {
			let url: URL;
			try {
				url = new URL(config.url);
			} catch (error) {
				reject(error);
				return;
			}
			if (url.protocol !== 'http:' && url.protocol !== 'https:') {
				reject(new AxiosError(`Unsupported protocol ${url.protocol}`, AxiosError.ERR_BAD_REQUEST, original));
				return;
			}
			const secure = url.protocol === 'https:';
			const headers: Record<string, string> = { ...config.headers };
			if (config.data !== undefined) headers['Content-Length'] = String(Buffer.byteLength(config.data));
			let settled = false;
			let req: http.ClientRequest | undefined = undefined;
			const onAbort = () => fail(new CanceledError(original, req));
			const fail = (error: Error) => {
				if (settled) return;
				settled = true;
				opts.signal?.removeEventListener?.('abort', onAbort);
				record.error = (error as NodeJS.ErrnoException).code ?? error.message;
				report();
				reject(error);
				req?.destroy();
			};
			const requestOptions: https.RequestOptions = {
				protocol: url.protocol,
				hostname: url.hostname.replace(/^\[|\]$/g, ''),
				port: url.port || (secure ? 443 : 80),
				path: `${url.pathname}${url.search}`,
				method: config.method,
				headers,
				agent: secure ? this.httpsAgent : this.httpAgent,
			};
			if (url.username || url.password) {
				requestOptions.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
			}
			if (secure) requestOptions.rejectUnauthorized = opts.rejectUnauthorized;
			req = (secure ? https : http).request(requestOptions, (res) => {
				const responseHeaders: IDataObject = { ...(res.headers as IDataObject) };
				let stream: Readable = res;
				const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
				if (config.method !== 'HEAD' && res.statusCode !== 204) {
					const decoder =
						encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate' || encoding === 'compress'
							? zlib.createUnzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
							: encoding === 'br'
								? zlib.createBrotliDecompress({
										flush: zlib.constants.BROTLI_OPERATION_FLUSH,
										finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
									})
								: undefined;
					if (decoder) {
						stream = res.pipe(decoder);
						delete responseHeaders['content-encoding'];
					}
				}
				const chunks: Buffer[] = [];
				const aborted = () =>
					fail(new AxiosError('stream has been aborted', AxiosError.ERR_BAD_RESPONSE, original, req));
				res.on('aborted', aborted);
				res.on('close', () => {
					if (!res.complete) aborted();
				});
				res.on('error', (error) => fail(AxiosError.from(error, undefined, original, req)));
				stream.on('error', (error) => fail(AxiosError.from(error, undefined, original, req)));
				stream.on('data', (chunk: Buffer) => chunks.push(chunk));
				stream.on('end', () => {
					if (settled) return;
					settled = true;
					opts.signal?.removeEventListener?.('abort', onAbort);
					record.status = res.statusCode;
					report();
					resolve({
						status: res.statusCode ?? 0,
						statusText: res.statusMessage ?? '',
						headers: responseHeaders,
						body: Buffer.concat(chunks),
						request: req!,
					});
				});
			});
			req.on('error', (error) => fail(AxiosError.from(error, undefined, original, req)));
			if (config.timeout > 0) {
				req.setTimeout(config.timeout, () =>
					fail(new AxiosError(`timeout of ${config.timeout}ms exceeded`, AxiosError.ECONNABORTED, original, req)),
				);
			}
			if (opts.signal) {
				if (opts.signal.aborted) {
					onAbort();
					return;
				}
				opts.signal.addEventListener?.('abort', onAbort);
			}
			req.end(config.data);
		});
	}
}

interface AbortSignalLike {
	aborted: boolean;
	addEventListener?: (type: 'abort', listener: () => void) => void;
	removeEventListener?: (type: 'abort', listener: () => void) => void;
}

// ---------------------------------------------------------------- request building

/** Case-insensitive key of a header in a plain object (n8n's searchForHeader). */
export function findHeader(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	return Object.keys(headers).find((key) => key.toLowerCase() === wanted);
}

/** n8n's removeEmptyBody: mutates the options, like n8n. */
export function removeEmptyBody(options: IHttpRequestOptions): void {
	const method = options.method ?? 'GET';
	if (['GET', 'HEAD', 'OPTIONS'].includes(method) && isEmptyLike(options.body)) delete options.body;
}

// lodash isEmpty: null/undefined, empty string/array/Buffer, object without own keys, empty Map/Set.
function isEmptyLike(value: unknown): boolean {
	if (value === null || value === undefined) return true;
	if (typeof value === 'string' || Array.isArray(value) || Buffer.isBuffer(value)) return value.length === 0;
	if (value instanceof Map || value instanceof Set) return value.size === 0;
	if (typeof value === 'object') return Object.keys(value).length === 0;
	return true;
}

/** RFC 3986 encoding as qs does it (only A-Z a-z 0-9 - . _ ~ stay as they are). */
function qsEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (value === null || typeof value !== 'object') return false;
	const proto = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

/** `qs.stringify(params, { arrayFormat })` for the values a node can put in `qs`. */
export function stringifyQuery(
	params: IDataObject | URLSearchParams | undefined,
	arrayFormat: 'indices' | 'brackets' | 'repeat' | 'comma' = 'indices',
): string {
	if (params === undefined || params === null) return '';
	if (params instanceof URLSearchParams) return params.toString();
	const parts: string[] = [];
	const scalar = (value: unknown): string =>
		value instanceof Date ? value.toISOString() : Buffer.isBuffer(value) ? value.toString() : String(value);
	const walk = (prefix: string, value: unknown) => {
		if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return;
		if (value === null) {
			parts.push(`${qsEncode(prefix)}=`);
			return;
		}
		if (Array.isArray(value)) {
			if (arrayFormat === 'comma') {
				if (value.length > 0) parts.push(`${qsEncode(prefix)}=${qsEncode(value.map(scalar).join(','))}`);
				return;
			}
			value.forEach((item, index) => {
				const key =
					arrayFormat === 'indices' ? `${prefix}[${index}]` : arrayFormat === 'brackets' ? `${prefix}[]` : prefix;
				walk(key, item);
			});
			return;
		}
		if (typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
			for (const [key, item] of Object.entries(value)) walk(`${prefix}[${key}]`, item);
			return;
		}
		parts.push(`${qsEncode(prefix)}=${qsEncode(scalar(value))}`);
	};
	for (const [key, value] of Object.entries(params)) walk(key, value);
	return parts.join('&');
}

/** axios' toURLEncodedForm for a plain object body. */
export function urlencodeBody(data: Record<string, unknown>): string {
	const form = new URLSearchParams();
	const convert = (value: unknown): string =>
		value instanceof Date ? value.toISOString() : Buffer.isBuffer(value) ? value.toString('base64') : String(value);
	const build = (value: unknown, path: string[]) => {
		for (const [rawKey, el] of Object.entries(value as Record<string, unknown>)) {
			if (el === undefined || el === null) continue;
			const key = rawKey.trim();
			const isFlatArray = Array.isArray(el) && !el.some((x) => Array.isArray(x) || isPlainObject(x));
			if (path.length === 0 && isFlatArray) {
				const base = key.replace(/\[\]$/, '');
				for (const item of el as unknown[]) {
					if (item !== undefined && item !== null) form.append(`${base}[]`, convert(item));
				}
				continue;
			}
			if (path.length === 0 && key.endsWith('{}') && typeof el === 'object') {
				form.append(key, JSON.stringify(el));
				continue;
			}
			if (Array.isArray(el) || isPlainObject(el)) {
				build(el, [...path, key]);
				continue;
			}
			const tokens = [...path, key];
			const name = tokens.map((token, i) => (i === 0 ? token : `[${token}]`)).join('');
			form.append(name, convert(el));
		}
	};
	build(data, []);
	return form.toString();
}

/** axios' buildFullPath + buildURL. */
export function buildRequestUrl(options: Pick<IHttpRequestOptions, 'url' | 'baseURL' | 'qs' | 'arrayFormat'>): string {
	const url = options.url ?? '';
	let full =
		options.baseURL && !/^([a-z][a-z\d+\-.]*:)?\/\//i.test(url)
			? url
				? `${options.baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}`
				: options.baseURL
			: url;
	const query = stringifyQuery(options.qs as IDataObject | undefined, options.arrayFormat);
	if (query) {
		const hash = full.indexOf('#');
		if (hash !== -1) full = full.slice(0, hash);
		full += (full.includes('?') ? '&' : '?') + query;
	}
	return full;
}

function setHeader(headers: Record<string, string>, name: string, value: string, overwrite: boolean): void {
	const existing = findHeader(headers, name);
	if (existing !== undefined) {
		if (!overwrite) return;
		delete headers[existing];
	}
	headers[name] = value;
}

/** Header values as axios sends them: null/undefined/false dropped, duplicates by case: last wins. */
function normalizeHeaders(input: IDataObject | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(input ?? {})) {
		const existing = findHeader(out, name);
		if (existing !== undefined) delete out[existing];
		if (value === undefined || value === null || value === false) continue;
		out[name] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}

function serializeBody(data: unknown, headers: Record<string, string>): string | Buffer | undefined {
	if (data === undefined) return undefined;
	const typeKey = findHeader(headers, 'content-type');
	const contentType = typeKey ? headers[typeKey] : '';
	if (data instanceof URLSearchParams) {
		setHeader(headers, 'Content-Type', 'application/x-www-form-urlencoded;charset=utf-8', false);
		return data.toString();
	}
	if (Buffer.isBuffer(data)) return data;
	if (data instanceof ArrayBuffer) return Buffer.from(data);
	if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
	if (typeof (data as { pipe?: unknown })?.pipe === 'function' || typeof (data as { getHeaders?: unknown })?.getHeaders === 'function') {
		throw new Error('harness: stream and FormData bodies are not supported');
	}
	const isObject = data !== null && typeof data === 'object';
	if (isObject && contentType.includes('application/x-www-form-urlencoded')) {
		return urlencodeBody(data as Record<string, unknown>);
	}
	if (isObject && contentType.includes('multipart/form-data')) {
		throw new Error('harness: multipart/form-data bodies are not supported');
	}
	if (isObject || contentType.includes('application/json')) {
		setHeader(headers, 'Content-Type', 'application/json', false);
		if (typeof data === 'string') {
			try {
				JSON.parse(data);
				return data.trim();
			} catch {
				return JSON.stringify(data);
			}
		}
		return JSON.stringify(data);
	}
	return typeof data === 'string' ? data : String(data);
}

function transformResponseData(body: Buffer, responseType: IHttpRequestOptions['encoding']): unknown {
	if (responseType === 'arraybuffer') return body;
	if (responseType === 'stream') return Readable.from([body]);
	let text = body.toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	if (text && (responseType === undefined || responseType === 'json')) {
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	return text;
}

function statusAccepted(status: number, ignore: IHttpRequestOptions['ignoreHttpStatusErrors']): boolean {
	if (ignore && typeof ignore === 'object' && ignore.ignore === true) return !ignore.except.includes(status);
	if (ignore) return true;
	return status >= 200 && status < 300;
}

export interface HttpRequestFn {
	(options: IHttpRequestOptions): Promise<any>;
}

/** `helpers.httpRequest`, bound to a transport. Mutates `options` where n8n does (removeEmptyBody). */
export function createHttpRequest(transport: Transport): HttpRequestFn {
	return async function httpRequest(requestOptions: IHttpRequestOptions): Promise<any> {
		removeEmptyBody(requestOptions);
		const method = (requestOptions.method ?? 'GET').toUpperCase();
		const headers = normalizeHeaders(requestOptions.headers);

		// convertN8nRequestToAxios
		let data: unknown = undefined;
		const { body } = requestOptions;
		if (body) {
			const typeKey = findHeader(headers, 'content-type');
			if (typeKey === undefined) {
				if (body instanceof URLSearchParams) headers['Content-Type'] = 'application/x-www-form-urlencoded';
			} else if (headers[typeKey] === 'application/x-www-form-urlencoded') {
				data = new URLSearchParams(body as Record<string, string>);
			}
			if (typeof body === 'string' || (typeof body === 'object' && !isObjectEmpty(body as object))) data = body;
		}
		if (requestOptions.json && findHeader(headers, 'accept') === undefined) headers.Accept = 'application/json';
		if (findHeader(headers, 'user-agent') === undefined) headers['User-Agent'] = 'n8n';
		if (method === 'GET') data = undefined;

		// axios defaults and dispatchRequest
		setHeader(headers, 'Accept', 'application/json, text/plain, */*', false);
		const payload = serializeBody(data, headers);
		if (payload !== undefined && ['POST', 'PUT', 'PATCH'].includes(method)) {
			setHeader(headers, 'Content-Type', 'application/x-www-form-urlencoded', false);
		}
		setHeader(headers, 'Accept-Encoding', 'gzip, compress, deflate, br', false);
		if (requestOptions.auth) {
			const { username = '', password = '' } = requestOptions.auth;
			setHeader(headers, 'Authorization', `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`, true);
		}

		const config: HarnessRequestConfig = {
			method,
			url: buildRequestUrl(requestOptions),
			headers,
			data: payload,
			timeout: requestOptions.timeout ?? N8N_DEFAULT_TIMEOUT_MS,
		};
		const raw = await transport.send(config, {
			maxRedirects: requestOptions.disableFollowRedirect === true ? 0 : MAX_REDIRECTS,
			rejectUnauthorized: requestOptions.skipSslCertificateValidation !== true,
			signal: requestOptions.abortSignal as AbortSignalLike | undefined,
		});
		const response: AxiosLikeResponse = {
			status: raw.status,
			statusText: raw.statusText,
			headers: raw.headers,
			data: transformResponseData(raw.body, requestOptions.encoding),
			config,
		};
		if (!statusAccepted(raw.status, requestOptions.ignoreHttpStatusErrors)) {
			const code = [AxiosError.ERR_BAD_REQUEST, AxiosError.ERR_BAD_RESPONSE][Math.floor(raw.status / 100) - 4];
			throw new AxiosError(`Request failed with status code ${raw.status}`, code, config, raw.request, response);
		}
		if (requestOptions.returnFullResponse) {
			const full: IN8nHttpFullResponse = {
				body: response.data as IN8nHttpFullResponse['body'],
				headers: response.headers,
				statusCode: response.status,
				statusMessage: response.statusText,
			};
			return full;
		}
		return response.data;
	};
}
