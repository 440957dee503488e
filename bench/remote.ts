/** Child processes of the bench: the simulator worker and isolated measurement jobs. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import type { RecordType, SimStats, SimulatorConfig, SimVersion } from '../simulator/types';
import type { BulkCreate, BulkUpdate } from './sim-worker';

const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

/** A child that answers `{ id, op, arg }` messages with `{ id, ok, result | error }`. */
export class Rpc {
	private next = 1;
	private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
	private exited = false;

	constructor(readonly child: ChildProcess) {
		child.on('message', (message: { id: number; ok: boolean; result?: unknown; error?: string }) => {
			const waiter = this.pending.get(message.id);
			if (!waiter) return;
			this.pending.delete(message.id);
			if (message.ok) waiter.resolve(message.result);
			else waiter.reject(new Error(message.error));
		});
		child.on('exit', (code) => {
			this.exited = true;
			for (const waiter of this.pending.values()) waiter.reject(new Error(`child exited (${code})`));
			this.pending.clear();
		});
	}

	static start(script: string, execArgv: string[] = []): Rpc {
		const child = fork(path.join(__dirname, script), [], {
			execArgv: [...TS_NODE, ...execArgv],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		return new Rpc(child);
	}

	async call<T = any>(op: string, arg?: unknown): Promise<T> {
		if (this.exited) throw new Error('child has exited');
		const id = this.next++;
		return await new Promise<T>((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			this.child.send({ id, op, arg });
		});
	}

	kill(): void {
		if (!this.exited) this.child.kill();
	}
}

/** The simulator running in its own process (see sim-worker.ts). */
export class RemoteSim {
	private constructor(
		private readonly rpc: Rpc,
		readonly baseUrl: string,
	) {}

	/**
	 * `--max-semi-space-size`: the simulator builds every record of the store on each query, which
	 * with Node's default young generation makes it spend most of a 100k-record query in GC.
	 */
	static async start(options: Partial<SimulatorConfig>): Promise<RemoteSim> {
		const rpc = Rpc.start('sim-worker.ts', ['--max-semi-space-size=64']);
		const { baseUrl } = await rpc.call<{ baseUrl: string }>('start', options);
		return new RemoteSim(rpc, baseUrl);
	}

	async clock(options: { set?: string; advanceMs?: number; freeze?: boolean } = {}): Promise<number> {
		const { now } = await this.rpc.call<{ now: string }>('clock', options);
		return Date.parse(now);
	}

	async reset(): Promise<void> {
		await this.rpc.call('reset', {});
	}

	async configure(patch: Partial<SimulatorConfig>): Promise<void> {
		await this.rpc.call('configure', patch);
	}

	async bulkCreate(spec: BulkCreate): Promise<{ first: number; last: number }> {
		return await this.rpc.call('bulkCreate', spec);
	}

	async bulkUpdate(spec: BulkUpdate): Promise<void> {
		await this.rpc.call('bulkUpdate', spec);
	}

	/** Every stored version of one record (control.history), with visibleAt on late writes. */
	async history(type: RecordType, id: number): Promise<SimVersion[]> {
		return await this.rpc.call('history', { type, id });
	}

	async stats(): Promise<SimStats> {
		return await this.rpc.call('stats', {});
	}

	async resetStats(): Promise<void> {
		await this.rpc.call('resetStats', {});
	}

	async close(): Promise<void> {
		await this.rpc.call('close').catch(() => undefined);
		this.rpc.kill();
	}
}
