/**
 * Shared test setup: a simulator on a free port, credentials that point at it, and a PollRunner
 * for the Pardot Trigger. Everything goes over real HTTP on 127.0.0.1.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { PardotTrigger } from '../../nodes/PardotTrigger/PardotTrigger.node';
import { LegacySessions } from '../../nodes/shared/transport';
import type { TransportOptions } from '../../nodes/shared/transport';
import { pollPardot } from '../../nodes/PardotTrigger/poll';
import { DEFAULT_BUSINESS_UNIT, DEFAULT_OAUTH_CLIENT, DEFAULT_USER, startSimulator } from '../../simulator';
import type { SimulatorHandle, SimulatorOptions } from '../../simulator';
import { PollRunner } from './n8n';
import type { PollRunnerOptions } from './n8n';

export type Flavor = 'legacy-v4' | 'legacy-v3' | 'oauth-v4' | 'oauth-v5';

export function credentialsFor(
	flavor: Flavor,
	baseUrl: string,
	overrides: ICredentialDataDecryptedObject = {},
): Record<string, ICredentialDataDecryptedObject> {
	const [auth, version] = flavor.split('-v');
	if (auth === 'legacy') {
		return {
			pardotApi: {
				username: DEFAULT_USER.email,
				password: DEFAULT_USER.password,
				userKey: DEFAULT_USER.userKey,
				apiVersion: version,
				environment: 'custom',
				baseUrl,
				timezone: 'UTC',
				...overrides,
			} as ICredentialDataDecryptedObject,
		};
	}
	return {
		pardotOAuth2Api: {
			environment: 'custom',
			baseUrl,
			loginUrl: baseUrl,
			businessUnitId: DEFAULT_BUSINESS_UNIT,
			apiVersion: version,
			timezone: 'UTC',
			grantType: 'clientCredentials',
			clientId: DEFAULT_OAUTH_CLIENT.clientId,
			clientSecret: DEFAULT_OAUTH_CLIENT.clientSecret,
			...overrides,
		} as ICredentialDataDecryptedObject,
	};
}

export function authenticationOf(flavor: Flavor): 'legacy' | 'oAuth2' {
	return flavor.startsWith('legacy') ? 'legacy' : 'oAuth2';
}

/**
 * The api_key cache the test runners hand the trigger, explicitly (the node itself uses one for its
 * process). A new simulator knows none of the old keys, so it starts a new cache.
 */
let sessions = new LegacySessions();

/** Forgets every api_key the runners knew (as a restart of n8n would). */
export function clearLegacySessions(): void {
	sessions = new LegacySessions();
}

/** The api_key cache tests hand the transport now. */
export function testSessions(): LegacySessions {
	return sessions;
}

/** Fast retries, so fault tests stay quick. */
export const FAST_RETRIES: TransportOptions = { retryBaseMs: 5 };

export async function simulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
	clearLegacySessions();
	return await startSimulator({ clock: '2026-11-27T12:00:00Z', ...options });
}

export interface TriggerSetup {
	flavor: Flavor;
	parameters?: INodeParameters;
	credentials?: ICredentialDataDecryptedObject;
	runner?: Partial<PollRunnerOptions>;
	/** Retries and timeouts for the trigger's requests (default: the node's own). */
	transport?: TransportOptions;
}

/**
 * A PollRunner for the Pardot Trigger, talking to `sim` (the simulator, or any server that plays Pardot). It runs
 * the node's poll with this test process's api_key cache and `setup.transport` passed in, as the node passes its
 * own defaults.
 */
export function triggerRunner(sim: Pick<SimulatorHandle, 'baseUrl'>, setup: TriggerSetup): PollRunner {
	const nodeType = new PardotTrigger();
	return new PollRunner({
		// The cache in use at each poll: clearLegacySessions() also reaches runners made before it.
		poll: async (ctx) => await pollPardot(ctx, { transport: { ...setup.transport, sessions } }),
		nodeType,
		parameters: { authentication: authenticationOf(setup.flavor), ...(setup.parameters ?? {}) },
		credentials: credentialsFor(setup.flavor, sim.baseUrl, setup.credentials),
		workflow: { id: `wf-${Math.random().toString(36).slice(2)}`, name: 'Pardot test workflow' },
		...(setup.runner ?? {}),
	});
}

export const MINUTE = 60_000;

/**
 * A fresh simulator (clock frozen at `clock`) for every test of the enclosing describe, closed after
 * it with every runner handed to `track`.
 */
export function simulatorPerTest(options: SimulatorOptions = {}) {
	let current: SimulatorHandle | undefined;
	const runners: PollRunner[] = [];
	beforeEach(async () => {
		current = await simulator(options);
		current.control.clock({ freeze: true });
	});
	afterEach(async () => {
		for (const r of runners.splice(0)) r.close();
		await current?.close();
	});
	const sim = () => current!;
	return {
		sim,
		advance: (ms: number) => sim().control.clock({ advanceMs: ms }),
		now: () => Date.parse(sim().control.clock().now),
		track: (runner: PollRunner) => {
			runners.push(runner);
			return runner;
		},
	};
}
