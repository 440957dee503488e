/**
 * Prospect → Import over real HTTP against the simulator's v5 Import API: one job, CSV batches, status polled
 * until Complete, each input item's outcome (and Pardot's per-row errors) in the output.
 */
import { runAction } from '../../../../lib/action';
import { simulatorPerTest } from '../../../../lib/pardot';

describe('Prospect → Import', () => {
	const { sim } = simulatorPerTest({ importWaitMs: 200, importProcessingMs: 300 });
	const parameters = {
		resource: 'prospect',
		operation: 'import',
		email: '={{ $json.email }}',
		additionalFields: { firstName: '={{ $json.first }}' },
		importOptions: { batchRows: 10, restoreDeleted: false },
	};

	it('upserts 25 items in one import of 3 batches: creates, updates, and a row Pardot refused', async () => {
		sim().control.clock({ freeze: false });
		sim().control.create({ type: 'prospect', fields: { email: 'p3@example.com', firstName: 'Old', lastName: 'Kept' } });
		const binned = sim().control.create({ type: 'prospect', fields: { email: 'p7@example.com' } }) as { id: number };
		sim().control.delete({ type: 'prospect', id: binned.id });
		sim().control.resetStats();
		const items = Array.from({ length: 25 }, (_, n) => ({ email: `p${n}@example.com`, first: n === 5 ? '' : `P${n}` }));
		const result = await runAction(sim(), { flavor: 'oauth-v5', parameters, items });
		expect(result.error).toBeUndefined();
		const out = result.output!;
		expect(out.map((o) => o.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(out.filter((o) => o.json.imported === true)).toHaveLength(24);
		expect(out[7].json).toMatchObject({ email: 'p7@example.com', imported: false, error: expect.stringMatching(/^Pardot could not import this row: .*recycle bin/) });
		const live = sim().control.records({ type: 'prospect', deleted: false }) as Array<Record<string, unknown>>;
		expect(live).toHaveLength(24);
		// An update changes what the row sets, and a blank cell leaves a field alone.
		expect(live.find((p) => p.email === 'p3@example.com')).toMatchObject({ firstName: 'P3', lastName: 'Kept' });
		const stats = sim().control.stats().byEndpoint as Record<string, number>;
		expect([stats['v5.imports.create'], stats['v5.imports.batches'], stats['v5.imports.update'], stats['v5.imports.errors']]).toEqual([1, 3, 1, 1]);
		expect(stats['v5.imports.read']).toBeGreaterThanOrEqual(1);
	});

	it('refuses a v3/v4 credential before anything is sent', async () => {
		const result = await runAction(sim(), { flavor: 'legacy-v4', parameters, items: [{ email: 'a@example.com' }] });
		expect(result.error?.message).toBe('Import needs Pardot API v5');
		expect(result.requests).toBe(0);
	});

	it('with Continue On Fail, an invalid email fails its item and the rest are imported', async () => {
		sim().control.clock({ freeze: false });
		const result = await runAction(sim(), { flavor: 'oauth-v5', parameters, items: [{ email: 'ok@example.com' }, { email: 'nope' }], continueOnFail: true });
		expect(result.output!.map((o) => o.json.error ?? 'imported')).toEqual(['imported', 'Item 1: Email "nope" is not a valid email address']);
	});
});
