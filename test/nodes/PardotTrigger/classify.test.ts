/** A change's event type (classify.ts): from the position before the poll, and for samples. */
import { classifyChange, classifySample } from '../../../nodes/PardotTrigger/classify';
import { change, cursorAt, s } from '../../lib/changes';

describe('classification', () => {
	test('DELETED in the recycle bin; CREATED when created after the position and not emitted; else UPDATED', () => {
		const cursor = cursorAt({ at: s(10) });
		expect(classifyChange(change(1, 20, { createdSec: 12 }), cursor)).toBe('CREATED');
		expect(classifyChange(change(1, 20, { createdSec: 5 }), cursor)).toBe('UPDATED');
		expect(classifyChange(change(1, 20, { createdSec: 12, deleted: true }), cursor)).toBe('DELETED');
		// A record the DST memory holds was emitted, whatever its creation time seems to say.
		expect(classifyChange(change(1, 20, { createdSec: 12 }), cursorAt({ at: s(10) }, { '1': s(30) }))).toBe('UPDATED');
	});

	test('samples use Open Connectors\' rule', () => {
		expect(classifySample(change(1, 5, { createdSec: 5 }))).toBe('CREATED');
		expect(classifySample(change(1, 9, { createdSec: 5 }))).toBe('UPDATED');
		// Whole seconds: updated the second after its creation is an update.
		expect(classifySample(change(1, 6, { createdSec: 5 }))).toBe('UPDATED');
		expect(classifySample(change(1, 5, { createdSec: 5, deleted: true }))).toBe('DELETED');
	});
});
