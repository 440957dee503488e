import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { makeEvent, runNode } from './harness';

/** The README's receiver example, run as written, against the node. Keeps the docs honest. */

const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const receiverSource = /### Signature[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

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

describe('README receiver example', () => {
	const key = 'readme-key-5d8c2b9e7f1a3c4d';
	let receiver: ChildProcess;
	let port: number;
	let stdout = '';

	beforeAll(async () => {
		expect(receiverSource.split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(16);
		port = await freePort();
		receiver = spawn(process.execPath, ['-e', receiverSource], {
			env: { PATH: process.env.PATH, SIGNING_KEY: key, PORT: String(port) },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		receiver.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		await waitForPort(port);
	});

	afterAll(() => {
		receiver.kill();
	});

	test('accepts what the node signs with the same key', async () => {
		const result = await runNode({
			items: [makeEvent(1), makeEvent(2, { objectType: 'leads' })],
			parameters: { callbackUrl: `http://127.0.0.1:${port}/pardot` },
			signingKey: key,
		});
		expect(result.error).toBeUndefined();
		expect(result.output?.[0][0].json).toEqual(expect.objectContaining({ status: 204, attempts: 1 }));
		expect(stdout).toContain(`${String(result.output?.[0][0].json.notificationId)} 2 events`);
	});

	test('refuses a request signed with another key, and the node does not retry a 401', async () => {
		const result = await runNode({
			items: [makeEvent(1)],
			parameters: { callbackUrl: `http://127.0.0.1:${port}/pardot` },
			signingKey: `${key}-wrong`,
		});
		expect(result.error?.message).toMatch(/refused notification .* with HTTP 401 \(1 attempt, not retried\)/);
		expect(result.requestsMade).toBe(1);
	});
});
