import type { IDataObject } from 'n8n-workflow';

import type { PardotConnection, PardotContext } from '../../shared/transport/connection';
import { readOverBudget } from '../../shared/transport/failures';
import type { PardotResponse, TransportOptions } from '../../shared/transport/request';
import { pardotRequest } from '../../shared/transport/request';
import type { ChangeRecord, Stream } from '../model';
import { clockAtStart, MAX_REQUESTS_PER_READ } from './source';

/** What both API adapters need of one query: the answer, and Pardot's clock when it was asked. */
export interface TimedResponse {
	response: PardotResponse;
	/** Pardot's clock at the start of the request (Date header minus the request's duration). */
	serverTime?: number;
	/** Pardot's clock when it answered (the Date header itself). */
	answeredAt?: number;
}

/** One GET of a query endpoint, timed so the reads can tell how far Pardot's clock had come. */
export async function timedQuery(
	ctx: PardotContext,
	conn: PardotConnection,
	path: string,
	query: Record<string, string | number | undefined>,
	transport: TransportOptions,
	slots: <T>(task: () => Promise<T>) => Promise<T> = async (task) => await task(),
): Promise<TimedResponse> {
	return await slots(async () => {
		// Timed from when the request goes out, not from when it waited for a slot.
		const startedAt = Date.now();
		const response = await pardotRequest(ctx, conn, { path, query }, transport);
		return { response, serverTime: clockAtStart(response.serverTime, startedAt, Date.now()), answeredAt: response.serverTime };
	});
}

/**
 * The records of a page as changes. A record whose id or change time cannot be read is never left out in silence:
 * `unreadable` names it, and the read of its stream fails there (the cursor cannot place it).
 */
export function changeRecords(
	raws: IDataObject[],
	toChange: (raw: IDataObject) => ChangeRecord | undefined,
	unreadable: (raw: IDataObject) => Error,
): ChangeRecord[] {
	return raws.map((raw) => {
		const record = toChange(raw);
		if (!record) throw unreadable(raw);
		return record;
	});
}

/** Counts each stream's queries; a source lives for one poll, so the count is per read. */
export function requestBudget(ctx: PardotContext, conn: PardotConnection, budget = MAX_REQUESTS_PER_READ): (stream: Stream) => void {
	const spent = new Map<Stream, number>();
	return (stream) => {
		const n = (spent.get(stream) ?? 0) + 1;
		if (n > budget) throw readOverBudget(ctx, conn, stream, budget);
		spent.set(stream, n);
	};
}
