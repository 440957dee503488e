/**
 * The Pardot Event Callback against a receiver that misbehaves (test/lib/hostile.ts), run in n8n-core's
 * ExecuteContext with n8n-core's own httpRequest (test/lib/callback.ts): a redirect to another host, an answer that
 * trickles in or is huge, an answer that echoes the request's secrets back. What must hold: nothing goes to another
 * host, every attempt ends within Timeout and the node within Max Retry Time, no more of an answer is read than is
 * needed, and no secret the node sent shows in its output, errors or logs.
 */
import type { IDataObject } from 'n8n-workflow';

import { FAST, makeEvent, runNode, type RunResult } from '../../lib/callback';
import { json, redirect, startHostile, trickle, huge, type Hostile } from '../../lib/hostile';

const SIGNING_KEY = 'hostile-signing-key-6b2f0d81';
const API_KEY = 'X9 hostile/api+key "quoted" é';
const TOKEN = 'q t+ok/en&=ü';
const USER = 'bob';
const PASSWORD = 'pa ss:w/rd+1';

let receiver: Hostile;
let other: Hostile;
beforeEach(async () => {
	receiver = await startHostile();
	other = await startHostile(json({ ok: true }));
});
afterEach(async () => {
	await receiver.close();
	await other.close();
});

/** Resolves with what `promise` gives, or with 'still running' after `ms`. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | 'still running'> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<'still running'>((resolve) => {
		timer = setTimeout(() => resolve('still running'), ms);
	});
	try {
		return await Promise.race([promise, late]);
	} finally {
		clearTimeout(timer);
	}
}

const output = (r: RunResult) => (r.output?.[0] ?? []).map((item) => item.json);

function run(url: string, options: IDataObject = {}, extra: { continueOnFail?: boolean } = {}) {
	return runNode({
		items: [makeEvent(1), makeEvent(2)],
		parameters: { callbackUrl: url, options: { ...FAST, ...options } },
		signingKey: SIGNING_KEY,
		continueOnFail: extra.continueOnFail ?? true,
	});
}

describe('1. a redirect from the receiver', () => {
	test.each([301, 302, 307, 308])('HTTP %i to another host: nothing is sent there (no body, signature, Basic auth or extra header); the notification fails naming the redirect', async (status) => {
		receiver.answer = redirect(`${other.baseUrl}/steal`, status);
		const r = await run(`http://${USER}:${encodeURIComponent(PASSWORD)}@${receiver.host}/hook?token=${encodeURIComponent(TOKEN)}`, {
			headers: { header: [{ name: 'X-Api-Key', value: API_KEY }] },
		});

		expect(other.requests).toEqual([]);
		expect(receiver.requests).toHaveLength(1);
		expect(output(r)[0]).toMatchObject({ status, attempts: 1, error: expect.stringContaining(`redirected notification`) });
	});
});

describe('5. an answer that never ends, or is huge', () => {
	test('HTTP 503, then its body a byte every 500 ms: each attempt ends at Timeout (1 s), no retry starts past Max Retry Time (2 s), the node ends', async () => {
		receiver.answer = trickle(500, 503);
		const started = Date.now();
		const r = await within(10_000, run(`${receiver.baseUrl}/hook`, { timeout: 1000, maxRetryTime: 2000, retries: 5, retryBaseDelay: 200, retryMaxDelay: 400 }));

		expect(r).not.toBe('still running');
		// Attempts start at 0 s and after at most 1 s + 0.4 s; the next one would start past 2 s.
		expect(Date.now() - started).toBeLessThan(2 * 1000 + 400 + 1500);
		const [first] = output(r as RunResult);
		expect(first).toMatchObject({ status: 503, attempts: 2, error: expect.stringContaining('the next retry would pass Max Retry Time (2000 ms)') });
	});

	test('headers that never end, a byte every 300 ms: the attempt ends at Timeout as a timeout', async () => {
		receiver.answer = (_req, res) => {
			const socket = res.socket!;
			socket.write('HTTP/1.1 200 OK\r\nX-Slow: ');
			const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write('a')), 300);
			socket.on('close', () => clearInterval(timer));
		};
		const started = Date.now();
		const r = await within(10_000, run(`${receiver.baseUrl}/hook`, { timeout: 1000, retries: 0 }));

		expect(r).not.toBe('still running');
		expect(Date.now() - started).toBeLessThan(1000 + 1500);
		expect(output(r as RunResult)[0]).toMatchObject({ status: null, attempts: 1, error: expect.stringContaining('did not answer notification') });
	});

	test('a 300 MB answer (HTTP 400): only its start is read, the first 1,000 characters are shown', async () => {
		receiver.answer = huge(300 * 1024 * 1024, 400);
		const r = await within(20_000, run(`${receiver.baseUrl}/hook`));

		expect(r).not.toBe('still running');
		const [first] = output(r as RunResult);
		expect(first).toMatchObject({ status: 400, attempts: 1 });
		expect(String(first.responseBody)).toHaveLength(1000);
		expect(receiver.bytesSent).toBeLessThan(100 * 1024 * 1024);
	});
});

describe('6. secrets a receiver echoes back', () => {
	/** Every form in which a receiver may give a value back. */
	function forms(value: string): string[] {
		const encoded = encodeURIComponent(value);
		return [
			value,
			encoded,
			encoded.replace(/%20/g, '+'),
			encoded.toLowerCase(),
			new URLSearchParams({ v: value }).toString().slice(2),
			JSON.stringify(value).slice(1, -1),
			JSON.stringify(value).slice(1, -1).replace(/\//g, '\\/'),
			JSON.stringify(value)
				.slice(1, -1)
				.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
		];
	}
	const SECRETS = [API_KEY, TOKEN, PASSWORD, SIGNING_KEY];

	/** A receiver that answers 400 quoting the request every way a framework might. */
	function echo(status = 400) {
		receiver.answer = (req, res) => {
			const key = String(req.headers['x-api-key']);
			const body = {
				error: 'bad request',
				url: req.url,
				decodedUrl: decodeURIComponent(req.url),
				query: req.query,
				headers: req.headers,
				apiKey: key,
				encoded: encodeURIComponent(key),
				plus: new URLSearchParams({ token: req.query.token }).toString(),
			};
			const text = `${JSON.stringify(body)} / text: ${req.url} ${key} ${decodeURIComponent(req.url)} ${JSON.stringify(body).replace(/\//g, '\\/')}`;
			res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
		};
	}

	function leaks(text: string): string[] {
		return SECRETS.flatMap((secret) => forms(secret).filter((form) => form.length >= 4 && text.includes(form)).map((form) => `${secret} as ${form}`));
	}

	test('HTTP 400 quoting the URL, the query and X-Api-Key: neither the output nor the error nor the logs show any form of them', async () => {
		echo();
		const url = `http://${USER}:${encodeURIComponent(PASSWORD)}@${receiver.host}/hook?token=${encodeURIComponent(TOKEN)}&plain=visible`;
		const r = await run(url, { headers: { header: [{ name: 'X-Api-Key', value: API_KEY }] } });
		const [first] = output(r);
		expect(first.status).toBe(400);
		expect(String(first.responseBody)).toContain('bad request');
		const item = r.output?.[0][0];
		const shown = [JSON.stringify(first), item?.error?.message, (item?.error as { description?: string })?.description, JSON.stringify(item?.error), r.logs.map((l) => l.message).join('\n')].join('\n');
		expect(leaks(shown)).toEqual([]);
	});

	test('without Continue On Fail: the thrown error shows no form of them either', async () => {
		echo(503);
		const url = `${receiver.baseUrl}/hook?token=${encodeURIComponent(TOKEN)}`;
		const r = await run(url, { retries: 1, headers: { header: [{ name: 'X-Api-Key', value: API_KEY }] } }, { continueOnFail: false });
		expect(r.error?.message).toMatch(/answered HTTP 503/);
		const shown = [r.error?.message, r.error?.description, JSON.stringify(r.error), r.logs.map((l) => l.message).join('\n')].join('\n');
		expect(leaks(shown)).toEqual([]);
	});
});
