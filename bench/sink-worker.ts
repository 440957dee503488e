/**
 * A loopback callback receiver in its own process: answers every POST at once with 200 and a tiny
 * JSON body, and counts requests and events. Driven over IPC by bench/callback.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

let server: http.Server | undefined;
let requests = 0;
let bytes = 0;

async function handle(op: string): Promise<unknown> {
	if (op === 'start') {
		server = http.createServer((req, res) => {
			let size = 0;
			req.on('data', (chunk: Buffer) => (size += chunk.length));
			req.on('end', () => {
				requests++;
				bytes += size;
				res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '11' });
				res.end('{"ok":true}');
			});
		});
		server.keepAliveTimeout = 30_000;
		await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
		return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pardot-events` };
	}
	if (op === 'stats') return { requests, bytes };
	if (op === 'reset') {
		requests = 0;
		bytes = 0;
		return { ok: true };
	}
	if (op === 'close') {
		server?.closeAllConnections();
		server?.close();
		setImmediate(() => process.exit(0));
		return { ok: true };
	}
	throw new Error(`unknown operation ${op}`);
}

process.on('message', (message: { id: number; op: string }) => {
	handle(message.op).then(
		(result) => process.send!({ id: message.id, ok: true, result }),
		(error: Error) => process.send!({ id: message.id, ok: false, error: error?.message ?? String(error) }),
	);
});
