/** The Pardot simulator, in process (its contract is in ARCHITECTURE.md). One per scenario, so data never mixes. */
import * as path from 'node:path';
import { REPO_ROOT } from './install';

/** The simulator's record types (simulator/README.md); `create`, `update` and `records` take any of them. */
export type SimType = 'prospect' | 'opportunity' | 'visitorActivity' | 'listMembership' | 'list' | 'campaign' | 'visitor';
/** Types with a recycle bin: only these can be deleted (visitor activities and visitors cannot). */
export type SimBinType = 'prospect' | 'opportunity' | 'listMembership' | 'list' | 'campaign';

export interface SimSeed {
	prospects?: number;
	opportunities?: number;
	campaigns?: number;
	lists?: number;
	visitors?: number;
	/** between live lists and prospects (seeded first in the same call); a few opted out */
	listMemberships?: number;
	visitorActivities?: number;
	at?: string;
	spreadMs?: number;
}

export interface SimSeeded {
	prospectIds: number[];
	opportunityIds: number[];
	campaignIds: number[];
	listIds: number[];
	visitorIds: number[];
	listMembershipIds: number[];
	visitorActivityIds: number[];
}

/** A prospect's membership of a list. */
export interface SimMembership {
	listId: number;
	prospectId: number;
	at?: string;
}

export interface SimControl {
	reset(): any;
	configure(o: Record<string, unknown>): any;
	clock(o: { set?: string; advanceMs?: number; freeze?: boolean }): any;
	seed(o: SimSeed): SimSeeded;
	create(o: { type: SimType; fields?: Record<string, unknown>; at?: string }): any;
	update(o: { type: SimType; id: number | string; fields?: Record<string, unknown>; at?: string }): any;
	delete(o: { type: SimBinType; id: number | string; at?: string }): any;
	records(o: { type: SimType; deleted?: boolean }): any;
	/** a new membership, or a removed one back from the recycle bin (same id) */
	addToList(o: SimMembership & { optedOut?: boolean }): any;
	/** the membership goes to the recycle bin */
	removeFromList(o: SimMembership): any;
	/** opts the member out of (or, with optedOut: false, back into) the list's emails */
	optOut(o: SimMembership & { optedOut?: boolean }): any;
	/** a visitor activity from v5 field names: `type` is Pardot's code (4 Success with formId = a form submission) */
	activity(o: { type: number; prospectId?: number | null; visitorId?: number | null; at?: string; [field: string]: unknown }): any;
	fault(o: Record<string, unknown>): any;
	stats(): any;
	resetStats(): any;
	tokens(o: { expire: true }): any;
}

export interface Sim {
	baseUrl: string;
	control: SimControl;
	close(): Promise<void>;
}

export const SIM_DEFAULTS = {
	username: 'demo@example.com',
	password: 'demo-password',
	userKey: '0123456789abcdef0123456789abcdef',
	clientId: 'demo-client-id',
	clientSecret: 'demo-client-secret',
	businessUnitId: '0Uv000000000001AAA',
};

export async function startSim(options: Record<string, unknown> = {}): Promise<Sim> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(path.join(REPO_ROOT, 'simulator'));
	const sim = await mod.startSimulator({ port: 0, ...options });
	return sim as Sim;
}
