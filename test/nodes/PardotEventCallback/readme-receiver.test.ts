import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { makeEvent, runNode } from '../../lib/callback';

/** The README's receiver examples, run as written, against the node. Keeps the docs honest. */

const readme = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');

/** The first ```js block after a heading. */
function exampleAfter(heading: string): string {
	const start = readme.indexOf(`\n${heading}\n`);
	if (start < 0) throw new Error(`README has no "${heading}"`);
	const source = /```js\n([\s\S]*?)```/.exec(readme.slice(start))?.[1];
	if (!source) throw new Error(`README has no js example after "${heading}"`);
	return source;
}

async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

async function waitForPort(port: number): Promise<void> {
	for (let i = 0; i < 100; i++) {
		const connected = await new Promise<boolean>((resolve) => {
			const socket = net.connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (connected) return;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`receiver did not listen on ${port}`);
}

/** Runs a README example in its own Node process, as a reader would. */
function exampleReceiver(heading: string, key: string) {
	const source = exampleAfter(heading);
	const state = { port: 0, stdout: '', child: undefined as ChildProcess | undefined };
	beforeAll(async () => {
		state.port = await freePort();
		state.child = spawn(process.execPath, ['-e', source], {
			env: { PATH: process.env.PATH, SIGNING_KEY: key, PORT: String(state.port) },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		state.child.stdout?.on('data', (chunk: Buffer) => (state.stdout += chunk.toString('utf8')));
		await waitForPort(state.port);
	});
	afterAll(() => {
		state.child?.kill();
	});
	return { source, state };
}

describe('README receiver example (Signature)', () => {
	const key = 'readme-key-5d8c2b9e7f1a3c4d';
	const { source, state } = exampleReceiver('### Signature', key);

	test('is a dozen lines or so', () => {
		expect(source.split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(16);
	});

	test('accepts what the node signs with the same key', async () => {
		const result = await runNode({
			items: [makeEvent(1), makeEvent(2, { objectType: 'leads' }), makeEvent(3)],
			parameters: { callbackUrl: `http://127.0.0.1:${state.port}/pardot` },
			signingKey: key,
		});
		expect(result.error).toBeUndefined();
		const [contacts, leads] = (result.output?.[0] ?? []).map((item) => item.json);
		expect(contacts).toEqual(expect.objectContaining({ status: 204, attempts: 1 }));
		expect(leads).toEqual(expect.objectContaining({ status: 204, attempts: 1 }));
		for (let i = 0; i < 100 && state.stdout.split('\n').length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 20));
		expect(state.stdout).toContain(`${String(contacts.notificationId)} contacts 2 events`);
		expect(state.stdout).toContain(`${String(leads.notificationId)} leads 1 events`);
	});

	test('refuses a request signed with another key, and the node does not retry a 401', async () => {
		const result = await runNode({
			items: [makeEvent(1)],
			parameters: { callbackUrl: `http://127.0.0.1:${state.port}/pardot` },
			signingKey: `${key}-wrong`,
		});
		expect(result.error?.message).toMatch(/refused notification .* with HTTP 401 \(1 attempt, not retried\)/);
		expect(result.requestsMade).toBe(1);
	});
});

describe('README receiver that works either way (What could not be confirmed)', () => {
	const key = 'either-way-key-0a9b8c7d6e5f';
	const { state } = exampleReceiver('### What could not be confirmed', key);
	const lines = () => state.stdout.split('\n').filter((line) => line !== '');
	/** The child's output arrives on its own schedule: wait until it has printed `count` lines. */
	const printed = async (count: number) => {
		for (let i = 0; i < 100 && lines().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 20));
		return lines();
	};
	const send = async (items: ReturnType<typeof makeEvent>[], options: Record<string, unknown>) => {
		const result = await runNode({
			items,
			parameters: { callbackUrl: `http://127.0.0.1:${state.port}/pardot`, options: { instanceName: 'pardot-prod', ...options } },
			signingKey: key,
		});
		expect(result.error).toBeUndefined();
		return result;
	};
	// Pardot v3/v4 names a record's fields first_name, updated_at; v5 firstName, updatedAt.
	const v4Contact = makeEvent(1, { raw: { id: 1001, first_name: 'Ada', updated_at: '2026-11-27 06:03:11' } });
	const v5Lead = makeEvent(2, { objectType: 'leads', raw: { id: 1002, name: 'Deal', updatedAt: '2026-11-27T14:02:11Z' } });

	test('takes UUID and numeric IDs, grouped and mixed raw, either field name, and drops repeats', async () => {
		await send([v4Contact, v5Lead], { concurrency: 1 });
		expect(await printed(2)).toEqual(['pardot-prod contacts 1001 2026-11-27 06:03:11', 'pardot-prod leads 1002 2026-11-27T14:02:11Z']);

		// The same input again: the same IDs, so nothing is processed twice (the next line printed is the next notification's).
		await send([v4Contact, v5Lead], { concurrency: 1 });

		const numeric = await send([makeEvent(3, { raw: { id: 1003, updatedAt: '2026-11-27T14:03:11Z' } })], { notificationIdFormat: 'number' });
		expect(numeric.output?.[0][0].json.notificationId).toMatch(/^\d+$/);
		expect((await printed(3))[2]).toBe('pardot-prod contacts 1003 2026-11-27T14:03:11Z');

		await send([makeEvent(4, { raw: { id: 1004, updated_at: 'a' } }), makeEvent(5, { objectType: 'leads', raw: { id: 1005, updatedAt: 'b' } })], {
			payload: 'envelopeMixed',
		});
		expect(await printed(5)).toHaveLength(5);
		expect(lines().slice(3)).toEqual(['pardot-prod contacts 1004 a', 'pardot-prod leads 1005 b']);
	});

	test('refuses another key', async () => {
		const result = await runNode({
			items: [makeEvent(9)],
			parameters: { callbackUrl: `http://127.0.0.1:${state.port}/pardot` },
			signingKey: 'not-the-key-123456',
		});
		expect(result.error?.message).toMatch(/HTTP 401/);
	});
});
