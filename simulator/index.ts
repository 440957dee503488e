/**
 * The Pardot API simulator: a real HTTP server on 127.0.0.1 that behaves like Pardot (API v3, v4, v5)
 * and Salesforce's OAuth endpoints, with a control API for tests. Contract: ARCHITECTURE.md,
 * "The simulator contract".
 */
import { Simulator } from './simulator';
import type { SimulatorHandle, SimulatorOptions } from './types';

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
	const sim = new Simulator(options);
	await sim.listen();
	return {
		baseUrl: sim.baseUrl,
		port: sim.port,
		control: sim.control,
		close: () => sim.close(),
	};
}

export { Simulator } from './simulator';
export { PARDOT_MESSAGES } from './errors';
export { LEGACY_QUERY_PARAMETERS } from './legacy';
export { ACTIVITY_TYPES, OBJECTS, RECORD_TYPES } from './objects';
export { PAGE_LIMIT_WARNING, V5_QUERY } from './v5';
export {
	DEFAULT_BUSINESS_UNIT,
	DEFAULT_OAUTH_CLIENT,
	DEFAULT_USER,
	DAILY_API_LIMITS,
	defaultConfig,
	realAccount,
	type ConfigurePatch,
	type FaultKind,
	type FaultSpec,
	type ActivityOptions,
	type MembershipOptions,
	type PardotEdition,
	type RecordType,
	type RequestHook,
	type SeedOptions,
	type SeedResult,
	type SimOAuthClient,
	type SimRecord,
	type SimRequest,
	type SimRequestLogEntry,
	type SimStats,
	type SimUsage,
	type SimUser,
	type SimVersion,
	type SimulatorConfig,
	type SimulatorControl,
	type SimulatorHandle,
	type SimulatorOptions,
	type WriteOptions,
} from './types';
