/**
 * Reading an answer body that n8n's HTTP helper hands over as a stream (`encoding: 'stream'`), up to a size: n8n
 * itself reads a text or JSON body whole, however large, and has no limit a node can set. Used by both nodes: the
 * trigger refuses an answer over its limit, the callback keeps the start of one.
 */

export interface ReadBody {
	/** The body as text (UTF-8), at most `maxBytes` of it. */
	text: string;
	/** Bytes read (at most `maxBytes`, or one chunk past it when cut). */
	bytes: number;
	/** The body was longer than `maxBytes`: reading stopped there and the connection was closed. */
	cut: boolean;
	/** The body broke off (the connection dropped, the request was aborted): why. `text` is what came before. */
	broken?: unknown;
}

interface StreamLike extends AsyncIterable<unknown> {
	destroy?: (error?: Error) => void;
}

function isStream(body: unknown): body is StreamLike {
	return typeof body === 'object' && body !== null && typeof (body as StreamLike)[Symbol.asyncIterator] === 'function';
}

const toBuffer = (chunk: unknown) => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array));

/**
 * Reads `body` (a stream, a string, a Buffer or nothing) up to `maxBytes`. A stream longer than that is destroyed
 * at once, so the rest is never downloaded. A stream that fails (a connection dropped in the middle of the body,
 * the request aborted) ends the body where it broke off, with the error in `broken`: the caller decides.
 */
export async function readBody(body: unknown, maxBytes: number): Promise<ReadBody> {
	if (body === undefined || body === null) return { text: '', bytes: 0, cut: false };
	if (!isStream(body)) {
		const buffer = typeof body === 'string' || body instanceof Uint8Array ? toBuffer(body) : Buffer.from(JSON.stringify(body), 'utf8');
		const cut = buffer.length > maxBytes;
		return { text: buffer.subarray(0, maxBytes).toString('utf8'), bytes: Math.min(buffer.length, maxBytes), cut };
	}
	const chunks: Buffer[] = [];
	let bytes = 0;
	try {
		for await (const chunk of body) {
			const buffer = toBuffer(chunk);
			bytes += buffer.length;
			if (bytes > maxBytes) {
				chunks.push(buffer.subarray(0, buffer.length - (bytes - maxBytes)));
				body.destroy?.();
				return { text: Buffer.concat(chunks).toString('utf8'), bytes, cut: true };
			}
			chunks.push(buffer);
		}
	} catch (error) {
		body.destroy?.();
		return { text: Buffer.concat(chunks).toString('utf8'), bytes, cut: false, broken: error ?? 'the body broke off' };
	}
	return { text: Buffer.concat(chunks).toString('utf8'), bytes, cut: false };
}

/** Closes a body that will not be read (a redirect's, an answer already judged), so its connection is freed. */
export function discardBody(body: unknown): void {
	if (isStream(body)) body.destroy?.();
}
