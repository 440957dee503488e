import type { SimulatorHandle } from '../../simulator';
import { accessToken, apiKey, at, simulatorForFile } from '../lib/simulator';
import { legacyCall, v5Call } from './write-helpers';

let sim: SimulatorHandle;
let token: string;
const NOW = at(3_600_000);

const env = simulatorForFile({ frozenAt: NOW, login: 'accessToken' });
beforeEach(() => ({ sim, credential: token } = env.current()));

const prospects = () => sim.control.records({ type: 'prospect' });

describe('a connection dropped around a write', () => {
	it('reset: dropped before the handler, nothing is written', async () => {
		sim.control.fault({ kind: 'reset', path: '/objects/prospects' });
		await expect(v5Call(sim, token, 'POST', 'objects/prospects', { email: 'r@example.com' })).rejects.toThrow();
		expect(prospects()).toEqual([]);
		expect(sim.control.requests().map((r) => [r.endpoint, r.status]).slice(1)).toEqual([['v5.prospects.create', 0]]);
	});

	it('resetAfter: the write happens, then the connection drops unanswered (a blind retry creates a second prospect)', async () => {
		sim.control.fault({ kind: 'resetAfter', path: '/objects/prospects' });
		await expect(v5Call(sim, token, 'POST', 'objects/prospects', { email: 'ra@example.com' })).rejects.toThrow();
		expect(prospects()).toEqual([expect.objectContaining({ email: 'ra@example.com', createdAt: NOW })]);
		expect(sim.control.requests().map((r) => [r.endpoint, r.status]).slice(1)).toEqual([['v5.prospects.create', 0]]);
		// Pardot (an AMPSEA account) takes the same create again: the retry duplicates the prospect.
		expect((await v5Call(sim, token, 'POST', 'objects/prospects', { email: 'ra@example.com' })).status).toBe(201);
		expect(prospects()).toHaveLength(2);
		// The upsert is the way to retry safely.
		sim.control.fault({ kind: 'resetAfter', path: 'upsertLatestByEmail' });
		const upsert = { matchEmail: 'once@example.com', prospect: { firstName: 'Once' } };
		await expect(v5Call(sim, token, 'POST', 'objects/prospects/do/upsertLatestByEmail', upsert)).rejects.toThrow();
		expect((await v5Call(sim, token, 'POST', 'objects/prospects/do/upsertLatestByEmail', upsert)).status).toBe(200);
		expect(prospects().filter((p) => p.email === 'once@example.com')).toHaveLength(1);
	});

	it('resetAfter on v3/v4 writes, and on an update (applied, then dropped)', async () => {
		const key = await apiKey(sim);
		sim.control.fault({ kind: 'resetAfter', path: 'do/create' });
		await expect(legacyCall(sim, key, 'prospect', 'create', [['email', 'legacy@example.com']])).rejects.toThrow();
		const [made] = prospects();
		expect(made.email).toBe('legacy@example.com');
		sim.control.clock({ advanceMs: 1_000 });
		sim.control.fault({ kind: 'resetAfter', path: `/objects/prospects/${made.id}` });
		await expect(v5Call(sim, await accessToken(sim), 'PATCH', `objects/prospects/${made.id}`, { firstName: 'After' })).rejects.toThrow();
		expect(prospects()[0]).toMatchObject({ firstName: 'After', updatedAt: at(3_601_000) });
	});

	it('a fault kind must be known', () => {
		expect(() => sim.control.fault({ kind: 'explode' as never })).toThrow(/resetAfter/);
	});
});
