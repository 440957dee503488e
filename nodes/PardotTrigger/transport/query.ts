import type { IDataObject } from 'n8n-workflow';

import type { PardotConnection, PardotContext } from './connection';
import type { PardotResponse, TransportOptions } from './request';
import { pardotRequest } from './request';
import type { ChangeRecord } from './source';
import { clockAtStart } from './source';

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
): Promise<TimedResponse> {
	const startedAt = Date.now();
	const response = await pardotRequest(ctx, conn, { path, query }, transport);
	return { response, serverTime: clockAtStart(response.serverTime, startedAt, Date.now()), answeredAt: response.serverTime };
}

/** The records of a page as changes; a record without an id or a readable date is left out. */
export function changeRecords(raws: IDataObject[], toChange: (raw: IDataObject) => ChangeRecord | undefined): ChangeRecord[] {
	return raws.map(toChange).filter((r): r is ChangeRecord => r !== undefined);
}
