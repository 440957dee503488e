/**
 * Changes and cursors for the trigger's table tests (cursor, plan, classify, state, read): seconds
 * after a fixed instant, records created long before unless a test says when.
 */
import type { StreamCursor } from '../../nodes/PardotTrigger/cursor';
import type { ChangeRecord, Position } from '../../nodes/PardotTrigger/model';

export const T0 = Date.parse('2026-11-27T14:00:00Z');
/** The instant `seconds` after T0. */
export const s = (seconds: number) => T0 + seconds * 1000;

/** Record `id` changed at second `updatedSec` (created at `createdSec`, else 1000 s before T0). */
export function change(id: number, updatedSec: number, extra: Partial<ChangeRecord> & { createdSec?: number } = {}): ChangeRecord {
	const updatedAt = s(updatedSec);
	const { createdSec, ...rest } = extra;
	return {
		id: String(id),
		createdAt: createdSec === undefined ? s(-1000) : s(createdSec),
		updatedAt,
		updatedAtMin: updatedAt,
		updatedAtMax: updatedAt,
		deleted: false,
		raw: { id },
		...rest,
	};
}

/** A cursor at `position`, started 10 s before T0. */
export const cursorAt = (position: Position, emitted: Record<string, number> = {}): StreamCursor => ({ position, start: s(-10), emitted });
