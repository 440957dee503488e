import { MINUTE, simulator, triggerRunner } from '../../../lib/pardot';

test('smoke: activation, then a change is emitted once', async () => {
	const sim = await simulator();
	try {
		sim.control.clock({ freeze: true });
		sim.control.seed({ prospects: 5, opportunities: 2 });
		sim.control.clock({ advanceMs: MINUTE });
		for (const flavor of ['legacy-v4', 'oauth-v5'] as const) {
			const runner = triggerRunner(sim, { flavor });
			const first = await runner.poll();
			expect(first.error).toBeUndefined();
			expect(first.items).toBeNull();
			sim.control.clock({ advanceMs: MINUTE });
			const created = sim.control.create({ type: 'prospect', fields: { email: 'new@example.com' } });
			sim.control.clock({ advanceMs: 3 * MINUTE });
			const second = await runner.poll();
			expect(second.error).toBeUndefined();
			expect(runner.emitted.map((i) => [i.json.eventType, i.json.objectType, i.json.objectId])).toEqual([
				['CREATED', 'contacts', String(created.id)],
			]);
			const third = await runner.poll();
			expect(third.items).toBeNull();
			runner.close();
		}
	} finally {
		await sim.close();
	}
});
