/** The Pardot simulator, in process (its contract is in ARCHITECTURE.md). One per scenario, so data never mixes. */
import * as path from 'node:path';
import { REPO_ROOT } from './install';

export interface SimControl {
	reset(): any;
	configure(o: Record<string, unknown>): any;
	clock(o: { set?: string; advanceMs?: number; freeze?: boolean }): any;
	seed(o: { prospects?: number; opportunities?: number; at?: string; spreadMs?: number }): any;
	create(o: { type: 'prospect' | 'opportunity'; fields?: Record<string, unknown>; at?: string }): any;
	update(o: { type: 'prospect' | 'opportunity'; id: number | string; fields?: Record<string, unknown>; at?: string }): any;
	delete(o: { type: 'prospect' | 'opportunity'; id: number | string; at?: string }): any;
	records(o: { type: 'prospect' | 'opportunity'; deleted?: boolean }): any;
	fault(o: Record<string, unknown>): any;
	stats(): any;
	resetStats(): any;
	tokens(o: { expire: true }): any;
}

export interface Sim {
	baseUrl: string;
	control: SimControl;
	close(): Promise<void>;
}

export const SIM_DEFAULTS = {
	username: 'demo@example.com',
	password: 'demo-password',
	userKey: '0123456789abcdef0123456789abcdef',
	clientId: 'demo-client-id',
	clientSecret: 'demo-client-secret',
	businessUnitId: '0Uv000000000001AAA',
};

export async function startSim(options: Record<string, unknown> = {}): Promise<Sim> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(path.join(REPO_ROOT, 'simulator'));
	const sim = await mod.startSimulator({ port: 0, ...options });
	return sim as Sim;
}
