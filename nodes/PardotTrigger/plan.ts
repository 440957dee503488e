import type { EventType } from '../common/event';
import { classifyChange } from './classify';
import type { ChangeKey, StreamCursor } from './cursor';
import {
	MEMORY_LIMIT,
	changeMark,
	compareKeys,
	creationKey,
	earlierPosition,
	isAfter,
	isCreatedAfter,
	isNewChange,
	laterPosition,
	latestPerRecord,
	positionBefore,
	stateKey,
} from './cursor';
import type { ChangeRecord, Position, StreamReadResult } from './model';
import { SECOND_MS } from './model';

/**
 * Decides what one poll emits and where each stream's position goes: the oldest changes first,
 * across every stream, up to the poll's limit. Pure: the reads happen before, the emission after.
 *
 * A change is a record's latest state, at its key (second of updatedAt, id). A record created
 * after the position has a second change to account for, its creation, at (second of createdAt,
 * id): when the position passes the creation but the record's latest state lies beyond what this
 * poll emits (not settled yet, past the limit, or past the window read), the creation is emitted
 * on its own, as CREATED dated at the creation, and the latest state follows later as UPDATED.
 * When both fall in one poll they make one CREATED event with the latest state. Either way a
 * record created after the trigger's start gets exactly one CREATED event, its first.
 *
 * Oldest first across streams: events are ordered by second, then by stream (the order of `inputs`),
 * then by id, over the whole run. So no stream emits past where another stream's read stopped
 * (`reachOf`): a stream whose read ended early (a window, a burst, changes that give no event) holds
 * the later changes of the others for the next poll.
 */

export interface StreamInput<S extends string = string> extends StreamReadResult {
	stream: S;
	cursor: StreamCursor;
	/** Whether creations count as changes (only when CREATED events are wanted). */
	creations: boolean;
	/** How many events a change of this type gives (0 when the type is not selected). */
	eventsOf: (record: ChangeRecord, type: EventType) => number;
}

export interface PlannedEvent {
	record: ChangeRecord;
	type: EventType;
	/** When the change happened: the latest update, or the creation for a creation emitted alone. */
	date: number;
}

export interface StreamPlan<I extends StreamInput = StreamInput> {
	/** The stream's input, as given to planPoll. */
	input: I;
	stream: I['stream'];
	events: PlannedEvent[];
	next: StreamCursor;
	/** Changes of this stream that were read stay for the next poll (limit reached). */
	cut: boolean;
}

interface Candidate {
	streamIndex: number;
	key: ChangeKey;
	record: ChangeRecord;
	kind: 'creation' | 'state';
}

export function candidatesOf(input: StreamInput, streamIndex: number): Candidate[] {
	const out: Candidate[] = [];
	const { cursor, frontier } = input;
	for (const record of latestPerRecord(input.records).values()) {
		const key = stateKey(record);
		if (isNewChange(record, cursor) && !isAfter(key, frontier)) out.push({ streamIndex, key, record, kind: 'state' });
		const created = creationKey(record);
		if (
			input.creations &&
			isCreatedAfter(record, cursor) &&
			compareKeys(created, key) < 0 &&
			!isAfter(created, frontier)
		) {
			out.push({ streamIndex, key: created, record, kind: 'creation' });
		}
	}
	return out;
}

/**
 * How far each stream may emit, given where every stream's read stopped. A stream has nothing left
 * to emit up to its `cover` (its frontier, or its position when that is later). A change of stream i
 * at second T may go out only when every change that comes before it in event order has been read:
 * every change before T of a later stream, and every change up to the end of T of an earlier one.
 */
export function reachOf(inputs: Array<Pick<StreamInput, 'cursor' | 'frontier'>>): Position[] {
	const covers = inputs.map((input) => laterPosition(input.frontier, input.cursor.position));
	return inputs.map((input, i) => {
		let reach = input.frontier;
		covers.forEach((cover, j) => {
			if (j === i) return;
			// An earlier stream's changes of cover's second (some not read yet) come before ours.
			const cap: Position = { at: j < i ? cover.at : cover.at + SECOND_MS };
			reach = earlierPosition(reach, cap);
		});
		return reach;
	});
}

/** `memory`: how many changes emitted inside the lag window each stream may remember (MEMORY_LIMIT; tests set less). */
export function planPoll<I extends StreamInput>(given: I[], limit: number, memory = MEMORY_LIMIT): Array<StreamPlan<I>> {
	const reach = reachOf(given);
	const inputs = given.map((input, i) => ({ ...input, frontier: reach[i] }));
	const candidates = inputs.flatMap((input, i) => candidatesOf(input, i));
	candidates.sort((a, b) => a.key.at - b.key.at || a.streamIndex - b.streamIndex || compareKeys(a.key, b.key));

	const created = inputs.map(() => new Set<string>());
	const processed: Candidate[][] = inputs.map(() => []);
	const cutAt: Array<Candidate | undefined> = inputs.map(() => undefined);
	// Changes past the lag window's start must be remembered once emitted: room for so many.
	const room = inputs.map((input) => memory - Object.values(input.cursor.emitted).filter((at) => at >= input.settled.at).length);
	let events = 0;
	let full = false;
	for (const candidate of candidates) {
		const i = candidate.streamIndex;
		if (cutAt[i]) continue;
		const n = eventCount(candidate, inputs[i], created[i]);
		if (full || (n > 0 && events + n > limit && events > 0)) {
			// The limit is reached: every stream stops at its next change.
			full = true;
			cutAt[i] = candidate;
			continue;
		}
		const remembered = isAfter(candidate.key, inputs[i].settled);
		if (remembered && room[i] <= 0) {
			// The memory is full: this stream's later changes wait until they are past the lag window, and
			// so does every later change of the other streams (events stay oldest first across streams).
			full = true;
			cutAt[i] = candidate;
			continue;
		}
		if (remembered) room[i]--;
		events += n;
		processed[i].push(candidate);
		if (candidate.kind === 'creation') created[i].add(candidate.record.id);
	}

	return inputs.map((input, i) => {
		const done = processed[i];
		const cut = cutAt[i];
		const last = done.length ? done[done.length - 1].key : undefined;
		const reached = cut ? positionBefore(cut.key, last) : input.frontier;
		const position = laterPosition(input.cursor.position, earlierPosition(reached, input.settled));
		return {
			input: given[i],
			stream: input.stream,
			events: eventsOf(done, input.cursor),
			next: nextCursor(input.cursor, position, done, cut !== undefined || input.windowed, position.id !== undefined && position.at === input.burstAt),
			cut: cut !== undefined,
		};
	});
}

/**
 * How many events a candidate gives: a creation, its CREATED events; a state, the events of its change,
 * none when its creation went out in this poll (the two make one event).
 */
function eventCount(candidate: Candidate, input: StreamInput, created: Set<string>): number {
	if (candidate.kind === 'creation') return input.eventsOf(candidate.record, 'CREATED');
	if (created.has(candidate.record.id)) return 0;
	return input.eventsOf(candidate.record, classifyChange(candidate.record, input.cursor));
}

function eventsOf(done: Candidate[], cursor: StreamCursor): PlannedEvent[] {
	const states = new Set(done.filter((c) => c.kind === 'state').map((c) => c.record.id));
	const creations = new Set(done.filter((c) => c.kind === 'creation').map((c) => c.record.id));
	const out: PlannedEvent[] = [];
	for (const candidate of done) {
		const { record } = candidate;
		if (candidate.kind === 'creation') {
			// Emitted with the record's latest state when that state is emitted now too.
			if (!states.has(record.id)) out.push({ record, type: 'CREATED', date: record.createdAt });
			continue;
		}
		const mergedCreation = creations.has(record.id);
		// Created and changed since, in one poll: one event with the latest state (DELETED when the
		// record is in the recycle bin by now).
		const type = mergedCreation && !record.deleted ? 'CREATED' : classifyChange(record, cursor);
		out.push({ record, type, date: record.updatedAt });
	}
	return out;
}

function nextCursor(cursor: StreamCursor, position: Position, done: Candidate[], backlog: boolean, burst: boolean): StreamCursor {
	// Only changes whose timestamp may still read as after the position need remembering.
	// No prototype: a record id such as "__proto__" is an entry like any other.
	const emitted: Record<string, number> = Object.create(null);
	for (const [id, at] of Object.entries(cursor.emitted)) if (at >= position.at) emitted[id] = at;
	for (const { record, kind } of done) {
		// A state: its mark, when its key (at the latest instant its time can mean) is not behind the
		// position; it replaces what was remembered of the record, even a greater mark (in the hour a
		// DST fall-back repeats, a later change can show an earlier-looking time). A creation emitted
		// alone: its creation time, so that the record's next change reads as UPDATED (a state of the
		// same poll comes after it and replaces it).
		const at = kind === 'state' ? record.updatedAtMax : record.createdAt;
		if (!isAfter({ at, id: record.id }, position)) continue;
		if (kind === 'state') emitted[record.id] = changeMark(record);
		else emitted[record.id] ??= record.createdAt;
	}
	const next: StreamCursor = { position, start: cursor.start, emitted };
	if (backlog) next.backlog = true;
	if (backlog && burst) next.burst = true;
	if (cursor.leads) next.leads = cursor.leads;
	if (cursor.noRecycleBin !== undefined) next.noRecycleBin = cursor.noRecycleBin;
	return next;
}
