/** The v5 adapter's reading of a record (v5.ts): ISO dates with offsets, where the record is. */
import { toChangeRecordV5 } from '../../../../nodes/PardotTrigger/transport/v5';

describe('v5 records', () => {
	test('a v5 ISO date with offset becomes UTC', () => {
		const record = toChangeRecordV5({ id: 9, createdAt: '2026-11-27T06:03:11-08:00', updatedAt: '2026-11-27T06:04:00-08:00' }, 'bin')!;
		expect(new Date(record.updatedAt).toISOString()).toBe('2026-11-27T14:04:00.000Z');
		expect(record.deleted).toBe(true);
	});

	test('read with deleted=all, each record says whether it is in the recycle bin', () => {
		const raw = { id: 9, createdAt: '2026-11-27T06:03:11-08:00', updatedAt: '2026-11-27T06:04:00-08:00' };
		expect(toChangeRecordV5({ ...raw, isDeleted: true }, 'both')!.deleted).toBe(true);
		expect(toChangeRecordV5({ ...raw, isDeleted: false }, 'both')!.deleted).toBe(false);
		expect(toChangeRecordV5(raw, 'live')!.deleted).toBe(false);
	});

	test('a visitor activity changes when it is created; no id or no date is no record', () => {
		const activity = toChangeRecordV5({ id: 3, createdAt: '2026-11-27T06:03:11.500-08:00', updatedAt: '2026-11-27T09:00:00-08:00' }, 'live', 'created')!;
		expect(new Date(activity.updatedAt).toISOString()).toBe('2026-11-27T14:03:11.000Z');
		expect(toChangeRecordV5({ createdAt: '2026-11-27T06:03:11-08:00' }, 'live')).toBeUndefined();
		expect(toChangeRecordV5({ id: 4, updatedAt: 'yesterday' }, 'live')).toBeUndefined();
	});
});
