/**
 * Every failure of the transport, over real HTTP against the simulator: the error is an n8n error
 * whose message says what happened and whose description says what to do, with the retries the
 * transport promises (counted by the simulator) and no more.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { pardotErrorCode } from '../../../../nodes/shared/transport';
import type { SimulatorHandle } from '../../../../simulator';
import { simulator } from '../../../lib/pardot';
import { SCENARIOS, runScenario } from './scenarios';

let sim: SimulatorHandle;

beforeAll(async () => {
	sim = await simulator();
});

afterAll(async () => {
	await sim.close();
});

describe('each error path gives a clear n8n error', () => {
	test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
		const run = await runScenario(sim, scenario);
		try {
			const { error } = run;
			if (scenario.failsAt === 'connect') {
				expect(error).toBeInstanceOf(NodeOperationError);
				expect(sim.control.stats().total).toBe(0);
			} else {
				expect(error).toBeInstanceOf(NodeApiError);
			}
			expect(error.message).toMatch(scenario.message);
			if (scenario.description) expect(error.description).toMatch(scenario.description);
			// A description always says what to do, in a sentence of its own.
			expect(String(error.description ?? '').length).toBeGreaterThan(20);
			if (scenario.httpCode) expect(error.httpCode).toBe(scenario.httpCode);
			expect(pardotErrorCode(error)).toBe(scenario.pardotCode);
			for (const [endpoint, count] of Object.entries(scenario.requests ?? {})) {
				expect({ endpoint, count: run.requests[endpoint] ?? 0 }).toEqual({ endpoint, count });
			}
			// Nothing in the message is n8n's generic text for a status code.
			expect(error.message).not.toMatch(/please check your (credentials|parameters)|Service unavailable|Bad gateway/);
		} finally {
			run.rig.close();
		}
	});
});
