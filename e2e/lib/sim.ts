/** The Pardot simulator, in process (its contract is in ARCHITECTURE.md). One per scenario, so data never mixes. */
import { startSimulator } from '../../simulator';
import type { SeedOptions, SeedResult, SimulatorHandle, SimulatorOptions } from '../../simulator/types';
import { DEFAULT_BUSINESS_UNIT, DEFAULT_OAUTH_CLIENT, DEFAULT_USER } from '../../simulator/types';

export type Sim = SimulatorHandle;
export type SimSeed = SeedOptions;
export type SimSeeded = SeedResult;

/** The simulator's default account, as the credentials the suite creates in n8n name it. */
export const SIM_DEFAULTS = {
	username: DEFAULT_USER.email,
	password: DEFAULT_USER.password,
	userKey: DEFAULT_USER.userKey,
	clientId: DEFAULT_OAUTH_CLIENT.clientId,
	clientSecret: DEFAULT_OAUTH_CLIENT.clientSecret,
	businessUnitId: DEFAULT_BUSINESS_UNIT,
};

export async function startSim(options: SimulatorOptions = {}): Promise<Sim> {
	return await startSimulator({ port: 0, ...options });
}
