/**
 * The simulator as one object: its state (state.ts), the control API (control.ts) and the HTTP
 * server (server.ts). `startSimulator` (index.ts) and `npm run simulator` (cli.ts) start it.
 */
import { createControl, randomChange, seedRecords, type StreamChange } from './control';
import { SimServer } from './server';
import { SimState } from './state';
import type { SeedOptions, SeedResult, SimulatorControl, SimulatorOptions } from './types';

export class Simulator extends SimState {
	readonly control: SimulatorControl = createControl(this);
	baseUrl = '';
	port = 0;
	private server: SimServer | null = null;

	constructor(private readonly options: SimulatorOptions = {}) {
		super(options);
	}

	async listen(): Promise<void> {
		const server = new SimServer(this, this.control);
		this.server = server;
		await server.listen(this.options.host ?? '127.0.0.1', this.options.port ?? 0);
		this.baseUrl = server.baseUrl;
		this.port = server.port;
	}

	async close(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = null;
		await server.close();
	}

	seedRecords(options: SeedOptions = {}): SeedResult {
		return seedRecords(this, options);
	}

	/** One random change at the current simulated time (the CLI's change stream). */
	randomChange(): StreamChange {
		return randomChange(this);
	}
}
