import type { Stream } from '../model';

/**
 * What the trigger needs to know of each Pardot object, per API family: where to query it, what
 * time a change carries, which filters and sorts find changes, and whether deletions can be seen.
 * Facts and their sources: docs/pardot-objects.md and docs/pardot-api-notes.md.
 */

/** A record's change time: its last update, or its creation for records Pardot never changes. */
export type ChangeTime = 'updated' | 'created';

/**
 * The recycle bin as an API family shows it: `documented` (a `deleted` criterion), `unproven`
 * (asked for, checked against the live records: v3/v4 opportunities), `none` (deletions unseen).
 */
export type RecycleBin = 'documented' | 'unproven' | 'none';

export interface LegacyObject {
	/** `/api/<path>/version/{3|4}/do/query`, records under `result.<key>`. */
	path: string;
	key: string;
	/** `<time>_after` / `_before` criteria on the change time exist. */
	timeFilter: boolean;
	/** `sort_by=<time>_at` exists: a window can be found by offset. */
	timeSort: boolean;
	bin: RecycleBin;
	/** The documented `fields` parameter (prospects). */
	fieldsParam: boolean;
	/** Sent with every query (documented defaults that would hide records). */
	always?: Record<string, string>;
}

export interface ObjectSpec {
	changeTime: ChangeTime;
	v5: { path: string; bin: RecycleBin };
	/** Undefined where v3/v4 cannot be polled (campaigns: no dates). */
	legacy?: LegacyObject;
}

export const OBJECTS: Record<Stream, ObjectSpec> = {
	prospects: {
		changeTime: 'updated',
		v5: { path: 'prospects', bin: 'documented' },
		legacy: { path: 'prospect', key: 'prospect', timeFilter: true, timeSort: true, bin: 'documented', fieldsParam: true },
	},
	opportunities: {
		changeTime: 'updated',
		v5: { path: 'opportunities', bin: 'documented' },
		// No update filter (not among the documented criteria): every poll reads them all.
		legacy: { path: 'opportunity', key: 'opportunity', timeFilter: false, timeSort: false, bin: 'unproven', fieldsParam: false },
	},
	visitorActivities: {
		// Pardot writes an activity once; its creation is the change.
		changeTime: 'created',
		v5: { path: 'visitor-activities', bin: 'none' },
		legacy: { path: 'visitorActivity', key: 'visitor_activity', timeFilter: true, timeSort: true, bin: 'none', fieldsParam: false },
	},
	listMemberships: {
		changeTime: 'updated',
		v5: { path: 'list-memberships', bin: 'documented' },
		// `updated_after` filters, but memberships sort only by created_at or id: no window by offset.
		legacy: { path: 'listMembership', key: 'list_membership', timeFilter: true, timeSort: false, bin: 'documented', fieldsParam: false },
	},
	lists: {
		changeTime: 'updated',
		v5: { path: 'lists', bin: 'documented' },
		legacy: { path: 'list', key: 'list', timeFilter: true, timeSort: true, bin: 'none', fieldsParam: false },
	},
	campaigns: {
		changeTime: 'updated',
		v5: { path: 'campaigns', bin: 'documented' },
		// v3/v4 campaigns carry id, name and cost only: no date to find a change by.
	},
	visitors: {
		changeTime: 'updated',
		v5: { path: 'visitors', bin: 'none' },
		// Without only_identified=false, v3/v4 answer identified visitors only.
		legacy: { path: 'visitor', key: 'visitor', timeFilter: true, timeSort: true, bin: 'none', fieldsParam: false, always: { only_identified: 'false' } },
	},
};

/** The v3/v4 and v5 names of a change-time field. */
export const TIME_FIELD = {
	updated: { legacy: 'updated_at', v5: 'updatedAt', filter: 'updated' },
	created: { legacy: 'created_at', v5: 'createdAt', filter: 'created' },
} as const;
