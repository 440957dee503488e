import type { IDataObject } from 'n8n-workflow';

/**
 * What the trigger's cursor needs from Pardot, whatever the API version: read every change of a
 * stream at or after an instant (optionally before another), in pages; find where the oldest k
 * changes end; read the latest change; read Pardot's clock. Each API family implements it in a
 * small adapter (legacy.ts for v3/v4, v5.ts).
 */

export type Stream = 'prospects' | 'opportunities';

export interface ChangeRecord {
	id: string;
	/** UTC ms. For v3/v4 local times in a repeated DST hour, the most plausible instant. */
	createdAt: number;
	updatedAt: number;
	/** Earliest and latest instants Pardot's updated_at string can mean (equal unless ambiguous). */
	updatedAtMin: number;
	updatedAtMax: number;
	deleted: boolean;
	raw: IDataObject;
}

export interface ScanRequest {
	stream: Stream;
	deleted: boolean;
	/** Every change with updatedAt >= after is returned (some older ones may come too). */
	after: number;
	/** When set, only changes before this instant are guaranteed (later ones may come too). */
	before?: number;
}

export interface ScanPage {
	records: ChangeRecord[];
	/** Pardot's clock when it answered (HTTP Date), minus the request's duration. */
	serverTime?: number;
	/** How many records the whole scan matches, when the API says (v3/v4 total_results). */
	total?: number;
	/** Whether more pages follow. */
	more: boolean;
}

export interface Boundary {
	/** The updatedAt (earliest meaning) of the (k+1)-th oldest change, when there are more than k. */
	at?: number;
	/**
	 * When the same request returned them: every change before `at` (every change at all when `at`
	 * is undefined), so no further read is needed.
	 */
	records?: ChangeRecord[];
	serverTime?: number;
}

export interface ChangeSource {
	readonly pageSize: number;
	/** How far behind Pardot's clock a scan is complete: clock granularity, request time, read lag. */
	readonly settleMs: number;
	/** Whether `boundary` can narrow a scan for this stream (else every poll reads it whole). */
	canBound(stream: Stream): boolean;
	scan(request: ScanRequest): AsyncIterable<ScanPage>;
	/** Where the oldest k changes at or after `after` end (see Boundary). */
	boundary(request: ScanRequest, k: number): Promise<Boundary>;
	latest(stream: Stream): Promise<ChangeRecord | undefined>;
	/** Pardot's clock when it answered one small request (HTTP Date, whole seconds). */
	serverTime(stream: Stream): Promise<number | undefined>;
}

export const PROSPECT_FIELDS_V5 = [
	'id',
	'email',
	'firstName',
	'lastName',
	'company',
	'jobTitle',
	'score',
	'grade',
	'salesforceLeadId',
	'salesforceContactId',
	'createdAt',
	'updatedAt',
];

export const OPPORTUNITY_FIELDS_V5 = [
	'id',
	'name',
	'value',
	'probability',
	'type',
	'stage',
	'status',
	'closedAt',
	'campaignId',
	'createdAt',
	'updatedAt',
];

/** Fields the trigger itself reads, always requested (v5) or kept (v3/v4). */
export const REQUIRED_FIELDS = {
	v5: ['id', 'createdAt', 'updatedAt', 'salesforceLeadId', 'salesforceContactId'],
	legacy: ['id', 'created_at', 'updated_at', 'crm_lead_fid', 'crm_contact_fid'],
};

/** Whether a prospect counts as a Salesforce lead: synced to a lead, not yet to a contact. */
export function isSalesforceLead(raw: IDataObject): boolean {
	const lead = raw.salesforceLeadId ?? raw.crm_lead_fid;
	const contact = raw.salesforceContactId ?? raw.crm_contact_fid;
	return Boolean(lead) && !contact;
}

/**
 * Pages through a query ordered by id, feeding the last id back as a filter (Pardot's advice:
 * a high-water mark, never an offset, so writes during paging cannot shift records past us).
 */
export async function* pagesById(
	fetchPage: (afterId: string | undefined) => Promise<ScanPage>,
): AsyncIterable<ScanPage> {
	let afterId: string | undefined;
	let seen = 0;
	for (;;) {
		const page = await fetchPage(afterId);
		// total_results counts what is left after `afterId`; report it for the whole scan.
		yield { ...page, total: page.total === undefined ? undefined : seen + page.total, more: page.more && page.records.length > 0 };
		seen += page.records.length;
		if (!page.more || page.records.length === 0) return;
		afterId = page.records[page.records.length - 1].id;
	}
}

/** Pardot's clock at the start of a request: the Date header minus the time the request took. */
export function clockAtStart(serverTime: number | undefined, startedAt: number, endedAt: number): number | undefined {
	return serverTime === undefined ? undefined : serverTime - Math.max(0, endedAt - startedAt);
}
