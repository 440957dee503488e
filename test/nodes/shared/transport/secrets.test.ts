/**
 * No secret ever leaves the transport: every error path of scenarios.ts runs again through a
 * recording proxy, every secret that went over the wire (password, user key, api_key, client
 * secret, access and refresh tokens) is harvested from the recorded traffic, and none of them may
 * appear in the error's message, description, JSON form, full inspection (context, cause, own
 * fields) or in any line the harness logger received.
 */
import { inspect } from 'node:util';
import { NodeApiError } from 'n8n-workflow';

import { pardotRequest } from '../../../../nodes/shared/transport';
import { DEFAULT_OAUTH_CLIENT, DEFAULT_USER } from '../../../../simulator';
import type { SimulatorHandle } from '../../../../simulator';
import type { HarnessLogger } from '../../../lib/n8n';
import { fast, prospectPath, prospectQuery, rig, simulatorPerSuite } from '../../../lib/transport';
import type { Recorder } from '../../../lib/transport';
import { SCENARIOS, knownSecrets, runScenario } from './scenarios';

const suite = simulatorPerSuite({ recorded: true });
let sim: SimulatorHandle;
let recorder: Recorder;
beforeEach(() => ({ sim, recorder } = suite.current()));

/** Every secret value seen in the recorded traffic. */
function harvest(extra: string[] = []): string[] {
	const found = new Set<string>([DEFAULT_USER.password, DEFAULT_USER.userKey, DEFAULT_OAUTH_CLIENT.clientSecret, ...extra]);
	const add = (value: unknown) => {
		if (typeof value === 'string' && value.length >= 8) found.add(value);
	};
	for (const request of recorder.requests) {
		const auth = String(request.headers.authorization ?? '');
		add(/api_key=([^,\s]+)/.exec(auth)?.[1]);
		add(/user_key=([^,\s]+)/.exec(auth)?.[1]);
		add(/^Bearer\s+(\S+)/i.exec(auth)?.[1]);
		const basic = /^Basic\s+(\S+)/i.exec(auth)?.[1];
		if (basic) add(Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':'));
		const form = new URLSearchParams(request.body);
		for (const key of ['password', 'user_key', 'client_secret', 'refresh_token', 'code']) add(form.get(key));
		try {
			const answer = JSON.parse(request.answer ?? '') as Record<string, unknown>;
			for (const key of ['api_key', 'access_token', 'refresh_token']) add(answer[key]);
		} catch {
			// not JSON: nothing to harvest
		}
	}
	return [...found];
}

/** Where a secret could surface, by name. */
function surfaces(error: unknown, logger: HarnessLogger): Record<string, string> {
	const e = error as { message?: unknown; description?: unknown; stack?: unknown };
	return {
		message: String(e?.message ?? ''),
		description: String(e?.description ?? ''),
		json: JSON.stringify(error) ?? '',
		inspected: inspect(error, { depth: 20, showHidden: true }),
		stack: String(e?.stack ?? ''),
		logs: logger.text(),
	};
}

/** [surface, secret] pairs where a secret shows. */
function leaks(error: unknown, logger: HarnessLogger, secrets: string[]): Array<[string, string]> {
	const found: Array<[string, string]> = [];
	for (const [where, text] of Object.entries(surfaces(error, logger))) {
		for (const secret of secrets) {
			if (text.includes(secret) || text.includes(encodeURIComponent(secret))) found.push([where, secret]);
		}
	}
	return found;
}

test('the leak detector sees a secret hidden in a NodeApiError context', () => {
	const r = rig('legacy-v4', sim.baseUrl);
	const error = new NodeApiError(r.ctx.getNode(), { message: 'boom' }, { message: 'boom' });
	error.context.data = { token: 'sekrit-value-123' };
	expect(leaks(error, r.logger, ['sekrit-value-123']).map(([where]) => where)).toEqual(
		expect.arrayContaining(['json', 'inspected']),
	);
	r.logger.debug('key sekrit-value-123');
	expect(leaks(new Error('x'), r.logger, ['sekrit-value-123'])).toEqual([['logs', 'sekrit-value-123']]);
	r.close();
});

describe('no secret in any error or log line', () => {
	test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
		const run = await runScenario(sim, scenario, recorder.baseUrl);
		try {
			expect(run.error).toBeDefined();
			const overrides = scenario.credentials?.(recorder.baseUrl) ?? {};
			const extra = [overrides.password, overrides.userKey, overrides.clientSecret].filter((s): s is string => typeof s === 'string');
			// user:password@ in a URL of the credential (a proxy login, say): both parts are secrets.
			for (const url of [overrides.baseUrl, overrides.loginUrl]) {
				const userinfo = /\/\/([^/@]+)@/.exec(String(url ?? ''))?.[1];
				if (userinfo) extra.push(...userinfo.split(':'), userinfo);
			}
			const secrets = harvest([...extra, ...(run.context ? knownSecrets(run.context) : [])]);
			expect(leaks(run.error, run.rig.logger, secrets)).toEqual([]);
		} finally {
			run.rig.close();
		}
	});

	test('the traffic really carried the secrets the check looks for', async () => {
		const scenario = SCENARIOS.find((s) => s.name === 'oauth-v5: unknown error whose text echoes every secret')!;
		const run = await runScenario(sim, scenario, recorder.baseUrl);
		run.rig.close();
		const legacy = SCENARIOS.find((s) => s.name === 'legacy-v4: unknown error whose text echoes every secret')!;
		const legacyRun = await runScenario(sim, legacy, recorder.baseUrl);
		legacyRun.rig.close();
		const secrets = harvest();
		// password, user key, client secret, an api_key (32 hex) and a Salesforce access token at least
		expect(secrets.some((s) => /^[0-9a-f]{32}$/.test(s) && s !== DEFAULT_USER.userKey)).toBe(true);
		expect(secrets.some((s) => s.startsWith('00D'))).toBe(true);
		// and the echoing server did put them into its error text
		expect(recorder.requests.some((r) => (r.answer ?? '').includes(DEFAULT_USER.password))).toBe(true);
	});

	test('re-login, token renewal and retries log nothing secret', async () => {
		sim.control.reset();
		sim.control.seed({ prospects: 3 });
		for (const flavor of ['legacy-v4', 'oauth-v4', 'oauth-v5'] as const) {
			const r = rig(flavor, recorder.baseUrl);
			const conn = await r.connect();
			const version = flavor.slice(-1);
			const call = () => pardotRequest(r.ctx, conn, { path: prospectPath(version), query: prospectQuery(version) }, fast());
			await call();
			sim.control.tokens({ expire: true });
			await call();
			sim.control.fault({ kind: 'pardotError', code: 66, count: 2, path: version === '5' ? '/api/v5/' : '/do/query' });
			await call();
			sim.control.fault({ kind: 'reset', count: 1, path: version === '5' ? '/api/v5/' : '/do/query' });
			await call();
			expect(r.logger.entries.length).toBeGreaterThan(0);
			expect(leaks(undefined, r.logger, harvest())).toEqual([]);
			r.close();
		}
	});
});
