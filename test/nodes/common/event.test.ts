import { EVENT_TYPES, uuidOf } from '../../../nodes/common/event';
import { eventIdOf } from '../../../nodes/PardotTrigger/events';
import { notificationIdOf } from '../../../nodes/PardotEventCallback/notifications';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('the three event types of the format', () => {
	expect([...EVENT_TYPES]).toEqual(['CREATED', 'UPDATED', 'DELETED']);
});

test('32 hex digits are written 8-4-4-4-12', () => {
	expect(uuidOf('0123456789abcdef0123456789abcdef')).toBe('01234567-89ab-cdef-0123-456789abcdef');
});

test("both nodes' ids are UUIDs; the notification's is version 8 (RFC 9562)", () => {
	expect(eventIdOf('contacts', '1', 0, false)).toMatch(UUID);
	const id = notificationIdOf('instance', 0, ['a']);
	expect(id).toMatch(UUID);
	expect(id[14]).toBe('8');
	expect(['8', '9', 'a', 'b']).toContain(id[19]);
});
