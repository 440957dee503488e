/**
 * The Pardot objects the simulator keeps: their fields under each API family's names, their
 * endpoints and whether they have a recycle bin, and the visitor activity type codes. Facts and
 * sources: docs/pardot-objects.md (new objects) and docs/pardot-api-notes.md (prospects, opportunities).
 */
import { DEFAULT_USER, type RecordType } from './types';

export type FieldKind = 'string' | 'number' | 'boolean' | 'date' | 'ids';

export interface FieldSpec {
	/** Internal name (the v5 name where v5 has the field). */
	key: string;
	/** v3/v4 name, or null when v3/v4 do not render it as a plain field. */
	legacy: string | null;
	/** v5 name, or null when v5 has no such field. */
	v5: string | null;
	kind: FieldKind;
}

const f = (key: string, legacy: string | null, v5: string | null, kind: FieldKind = 'string'): FieldSpec => ({
	key,
	legacy,
	v5,
	kind,
});

/** Order follows Pardot's v4 rendering of a prospect. */
const PROSPECT_FIELDS: FieldSpec[] = [
	f('campaignId', 'campaign_id', 'campaignId', 'number'),
	f('salutation', 'salutation', 'salutation'),
	f('firstName', 'first_name', 'firstName'),
	f('lastName', 'last_name', 'lastName'),
	f('email', 'email', 'email'),
	f('company', 'company', 'company'),
	f('website', 'website', 'website'),
	f('jobTitle', 'job_title', 'jobTitle'),
	f('department', 'department', 'department'),
	f('country', 'country', 'country'),
	f('city', 'city', 'city'),
	f('state', 'state', 'state'),
	f('phone', 'phone', 'phone'),
	f('source', 'source', 'source'),
	f('score', 'score', 'score', 'number'),
	f('grade', 'grade', 'grade'),
	f('lastActivityAt', 'last_activity_at', 'lastActivityAt', 'date'),
	f('salesforceLeadId', 'crm_lead_fid', 'salesforceLeadId'),
	f('salesforceContactId', 'crm_contact_fid', 'salesforceContactId'),
	f('salesforceOwnerId', 'crm_owner_fid', 'salesforceOwnerId'),
	f('salesforceAccountId', 'crm_account_fid', 'salesforceAccountId'),
	// The assigned user: v5 `assignedToId` (editable); v3/v4 render it as a nested <assigned_to><user> and
	// set it with do/assign (user_id or user_email).
	f('assignedToId', null, 'assignedToId', 'number'),
];

const OPPORTUNITY_FIELDS: FieldSpec[] = [
	f('campaignId', 'campaign_id', 'campaignId', 'number'),
	f('name', 'name', 'name'),
	f('value', 'value', 'value', 'number'),
	f('probability', 'probability', 'probability', 'number'),
	f('type', 'type', 'type'),
	f('stage', 'stage', 'stage'),
	f('status', 'status', 'status'),
	f('closedAt', 'closed_at', 'closedAt', 'date'),
	f('salesforceId', 'crm_opportunity_fid', 'salesforceId'),
	// Rendered by v3/v4 as nested <prospects>; not a v5 field.
	f('prospectIds', null, null, 'ids'),
];

/**
 * Visitor activity (docs-2020 object-field-references; v5 names from the visitor-activity-v5 page).
 * v3/v4 render each `*_id` only when the activity has that object, and the campaign as a nested
 * `<campaign>` with id and name (a real answer in pardot/api-docs#135), never `campaign_id`.
 */
const VISITOR_ACTIVITY_FIELDS: FieldSpec[] = [
	f('prospectId', 'prospect_id', 'prospectId', 'number'),
	f('visitorId', 'visitor_id', 'visitorId', 'number'),
	f('type', 'type', 'type', 'number'),
	f('typeName', 'type_name', 'typeName'),
	f('details', 'details', 'details'),
	f('emailId', 'email_id', 'emailId', 'number'),
	f('emailTemplateId', 'email_template_id', 'emailTemplateId', 'number'),
	f('listEmailId', 'list_email_id', 'listEmailId', 'number'),
	f('formId', 'form_id', 'formId', 'number'),
	f('formHandlerId', 'form_handler_id', 'formHandlerId', 'number'),
	f('siteSearchQueryId', 'site_search_query_id', 'siteSearchQueryId', 'number'),
	f('landingPageId', 'landing_page_id', 'landingPageId', 'number'),
	f('paidSearchAdId', 'paid_search_ad_id', 'paidSearchAdId', 'number'),
	f('multivariateTestVariationId', 'multivariate_test_variation_id', 'multivariateTestVariationId', 'number'),
	f('visitorPageViewId', 'visitor_page_view_id', 'visitorPageViewId', 'number'),
	f('fileId', 'file_id', 'fileId', 'number'),
	f('customRedirectId', 'custom_redirect_id', 'customRedirectId', 'number'),
	f('opportunityId', 'opportunity_id', 'opportunityId', 'number'),
	f('visitId', null, 'visitId', 'number'),
	// v3/v4: nested <campaign>.
	f('campaignId', null, 'campaignId', 'number'),
];

/** List membership (docs-2020; list-membership-v5). `opted_out` is documented as an integer, printed as false. */
const LIST_MEMBERSHIP_FIELDS: FieldSpec[] = [
	f('listId', 'list_id', 'listId', 'number'),
	f('prospectId', 'prospect_id', 'prospectId', 'number'),
	f('optedOut', 'opted_out', 'optedOut', 'boolean'),
	f('createdById', null, 'createdById', 'number'),
	f('updatedById', null, 'updatedById', 'number'),
];

/** List (docs-2020; list-v5). `is_crm_visible` is v3/v4 only; folder and campaign are v5 only. */
const LIST_FIELDS: FieldSpec[] = [
	f('name', 'name', 'name'),
	f('isPublic', 'is_public', 'isPublic', 'boolean'),
	f('isDynamic', 'is_dynamic', 'isDynamic', 'boolean'),
	f('title', 'title', 'title'),
	f('description', 'description', 'description'),
	f('isCrmVisible', 'is_crm_visible', null, 'boolean'),
	f('folderId', null, 'folderId', 'number'),
	f('campaignId', null, 'campaignId', 'number'),
	f('createdById', null, 'createdById', 'number'),
	f('updatedById', null, 'updatedById', 'number'),
];

/** Campaign: v3/v4 records carry id, name and cost only, no dates (docs-2020); the rest is v5 (campaign-v5). */
const CAMPAIGN_FIELDS: FieldSpec[] = [
	f('name', 'name', 'name'),
	f('cost', 'cost', 'cost', 'number'),
	f('folderId', null, 'folderId', 'number'),
	f('parentCampaignId', null, 'parentCampaignId', 'number'),
	f('salesforceId', null, 'salesforceId'),
	f('createdById', null, 'createdById', 'number'),
	f('updatedById', null, 'updatedById', 'number'),
];

/**
 * Visitor (docs-2020; visitor-v5). v3/v4 render `prospect_id` in simple and mobile output and a
 * nested `<prospect>` in full output; `isIdentified` is what `only_identified` selects on.
 */
/**
 * User (docs-2020 object field reference: id, email, first_name, last_name, job_title, role, created_at,
 * updated_at; user-v5 adds username and isDeleted). Read-only: no API creates or edits users.
 */
const USER_FIELDS: FieldSpec[] = [
	f('email', 'email', 'email'),
	f('firstName', 'first_name', 'firstName'),
	f('lastName', 'last_name', 'lastName'),
	f('username', null, 'username'),
	f('jobTitle', 'job_title', 'jobTitle'),
	f('role', 'role', 'role'),
];

const VISITOR_FIELDS: FieldSpec[] = [
	f('prospectId', null, 'prospectId', 'number'),
	f('pageViewCount', 'page_view_count', 'pageViewCount', 'number'),
	f('ipAddress', 'ip_address', 'ipAddress'),
	f('hostname', 'hostname', 'hostname'),
	f('campaignParameter', 'campaign_parameter', 'campaignParameter'),
	f('mediumParameter', 'medium_parameter', 'mediumParameter'),
	f('sourceParameter', 'source_parameter', 'sourceParameter'),
	f('contentParameter', 'content_parameter', 'contentParameter'),
	f('termParameter', 'term_parameter', 'termParameter'),
	f('campaignId', null, 'campaignId', 'number'),
	f('isIdentified', null, 'isIdentified', 'boolean'),
	f('doNotSell', null, 'doNotSell', 'boolean'),
];

export interface ObjectSpec {
	type: RecordType;
	/** Its fields besides id, createdAt, updatedAt (and isDeleted on v5 where there is a bin). */
	fields: FieldSpec[];
	/** The first id the simulator hands out (each object counts on its own). */
	firstId: number;
	/** Whether records can be in a recycle bin (v5 `deleted`, `isDeleted`). */
	recycleBin: boolean;
	/** `/api/v5/objects/<v5Path>`. */
	v5Path: string;
	/** `/api/<legacyPath>/version/{3|4}/do/query`. */
	legacyPath: string;
	/** The record element of a v3/v4 answer: `result.<legacyKey>`. */
	legacyKey: string;
	/** Plural for messages. */
	label: string;
	/**
	 * Fields an API write may set (internal names): the "Editable" column of Pardot's object field
	 * reference (docs-2020), the editable fields of the v5 object pages. Every other field is read-only.
	 */
	editable: string[];
	/** Fields a create must give (internal names). */
	requiredOnCreate: string[];
	/** v3/v4 operations besides `query` that the simulator answers: `/api/<legacyPath>/version/N/do/<action>/...`. */
	legacyActions: string[];
	/** v5 create (POST), update (PATCH) and delete (DELETE) of one record; every object can be read one by id. */
	v5Writes: boolean;
}

export const OBJECTS: Record<RecordType, ObjectSpec> = {
	prospect: {
		type: 'prospect',
		fields: PROSPECT_FIELDS,
		firstId: 10_000_001,
		recycleBin: true,
		v5Path: 'prospects',
		legacyPath: 'prospect',
		legacyKey: 'prospect',
		label: 'prospects',
		editable: ['campaignId', 'salutation', 'firstName', 'lastName', 'email', 'company', 'website', 'jobTitle', 'department', 'country', 'city', 'state', 'phone', 'source', 'score', 'assignedToId'],
		requiredOnCreate: ['email'],
		legacyActions: ['create', 'read', 'update', 'upsert', 'delete', 'assign'],
		v5Writes: true,
	},
	opportunity: {
		type: 'opportunity',
		fields: OPPORTUNITY_FIELDS,
		firstId: 500_001,
		recycleBin: true,
		v5Path: 'opportunities',
		legacyPath: 'opportunity',
		legacyKey: 'opportunity',
		label: 'opportunities',
		// v3/v4 only: v5 documents no opportunity create or update.
		editable: ['campaignId', 'name', 'value', 'probability', 'type', 'stage', 'status', 'closedAt'],
		requiredOnCreate: ['name', 'value', 'probability'],
		legacyActions: ['create', 'read', 'update', 'delete', 'undelete'],
		v5Writes: false,
	},
	visitorActivity: {
		type: 'visitorActivity',
		fields: VISITOR_ACTIVITY_FIELDS,
		firstId: 800_000_001,
		recycleBin: false,
		v5Path: 'visitor-activities',
		legacyPath: 'visitorActivity',
		legacyKey: 'visitor_activity',
		label: 'visitor activities',
		// No API writes activities (pardot/api-docs#132).
		editable: [],
		requiredOnCreate: [],
		legacyActions: [],
		v5Writes: false,
	},
	listMembership: {
		type: 'listMembership',
		fields: LIST_MEMBERSHIP_FIELDS,
		firstId: 200_000_001,
		recycleBin: true,
		v5Path: 'list-memberships',
		legacyPath: 'listMembership',
		legacyKey: 'list_membership',
		label: 'list memberships',
		// listId and prospectId are given on create (v3/v4: in the path) and never change.
		editable: ['optedOut'],
		requiredOnCreate: ['listId', 'prospectId'],
		legacyActions: ['create', 'read', 'update', 'delete'],
		v5Writes: true,
	},
	list: {
		type: 'list',
		fields: LIST_FIELDS,
		firstId: 30_001,
		recycleBin: true,
		v5Path: 'lists',
		legacyPath: 'list',
		legacyKey: 'list',
		label: 'lists',
		editable: ['name', 'isPublic', 'title', 'description', 'isCrmVisible', 'folderId', 'campaignId'],
		requiredOnCreate: ['name'],
		legacyActions: ['create', 'read', 'update', 'delete'],
		v5Writes: true,
	},
	campaign: {
		type: 'campaign',
		fields: CAMPAIGN_FIELDS,
		firstId: 7_001,
		recycleBin: true,
		v5Path: 'campaigns',
		legacyPath: 'campaign',
		legacyKey: 'campaign',
		label: 'campaigns',
		// Writes not simulated (v5 has none; v3/v4 refuse them with Connected Campaigns).
		editable: [],
		requiredOnCreate: [],
		legacyActions: [],
		v5Writes: false,
	},
	visitor: {
		type: 'visitor',
		fields: VISITOR_FIELDS,
		firstId: 50_000_001,
		recycleBin: false,
		v5Path: 'visitors',
		legacyPath: 'visitor',
		legacyKey: 'visitor',
		label: 'visitors',
		editable: [],
		requiredOnCreate: [],
		legacyActions: [],
		v5Writes: false,
	},
	user: {
		type: 'user',
		fields: USER_FIELDS,
		firstId: 1_001,
		// v5 users have isDeleted; the simulator seeds live users only.
		recycleBin: true,
		v5Path: 'users',
		legacyPath: 'user',
		legacyKey: 'user',
		label: 'users',
		// Read-only through the API (the seeded users: SEEDED_USERS).
		editable: [],
		requiredOnCreate: [],
		legacyActions: [],
		v5Writes: false,
	},
};

/**
 * The account's users, there from the start (and after reset()): the first has the default API user's
 * email (DEFAULT_USER, the legacy login); ids from 1001 in this order.
 */
export const SEEDED_USERS: Array<Record<string, unknown>> = [
	{ email: DEFAULT_USER.email, firstName: 'Demo', lastName: 'Api', username: DEFAULT_USER.email, jobTitle: 'Integration User', role: 'Administrator' },
	{ email: 'avery.lee@example.com', firstName: 'Avery', lastName: 'Lee', username: 'avery.lee@example.com', jobTitle: 'Sales Rep', role: 'Sales' },
	{ email: 'sam.ortiz@example.com', firstName: 'Sam', lastName: 'Ortiz', username: 'sam.ortiz@example.com', jobTitle: 'Marketing Manager', role: 'Marketing' },
];

export const RECORD_TYPES = Object.keys(OBJECTS) as RecordType[];

export function isRecordType(value: unknown): value is RecordType {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(OBJECTS, value);
}

export function fieldSpecs(type: RecordType): FieldSpec[] {
	return OBJECTS[type].fields;
}

/**
 * Visitor activity type codes and their names (docs-2020 and docs-2021 object-field-references;
 * 27-34 added in pardot/api-docs#7). Type 5 is never returned by queries (docs-2021); any other code
 * is "Unknown".
 */
export const ACTIVITY_TYPES: Record<number, string> = {
	1: 'Click',
	2: 'View',
	3: 'Error',
	4: 'Success',
	5: 'Session',
	6: 'Sent',
	7: 'Search',
	8: 'New Opportunity',
	9: 'Opportunity Won',
	10: 'Opportunity Lost',
	11: 'Open',
	12: 'Unsubscribe Page',
	13: 'Bounced',
	14: 'Spam Complaint',
	15: 'Email Preference Page',
	16: 'Resubscribed',
	17: 'Click (Third Party)',
	18: 'Opportunity Reopened',
	19: 'Opportunity Linked',
	20: 'Visit',
	21: 'Custom URL click',
	22: 'Olark Chat',
	23: 'Invited to Webinar',
	24: 'Attended Webinar',
	25: 'Registered for Webinar',
	26: 'Social Post Click',
	27: 'Video View',
	28: 'Event Registered',
	29: 'Event Checked In',
	30: 'Video Conversion',
	31: 'UserVoice Suggestion',
	32: 'UserVoice Comment',
	33: 'UserVoice Ticket',
	34: 'Video Watched (≥ 75%)',
	35: 'Indirect Unsubscribe Open',
	36: 'Indirect Bounce',
	37: 'Indirect Resubscribed',
	38: 'Opportunity Unlinked',
};

/**
 * A visitor activity's `type_name` when none is given: not the type's name but the kind of object
 * the activity is about (docs-2021's per-kind tables): Form, Form Handler, Landing Page, File,
 * Email, Email Tracker (an email click), Visit, Custom Redirect, Opportunity, Site Search...
 */
export function activityTypeName(fields: Record<string, unknown>): string | null {
	const has = (key: string) => fields[key] !== null && fields[key] !== undefined;
	const type = fields.type;
	if (has('formHandlerId')) return 'Form Handler';
	if (has('formId')) return 'Form';
	if (has('landingPageId') || has('multivariateTestVariationId')) return 'Landing Page';
	if (has('fileId')) return 'File';
	if (has('customRedirectId')) return 'Custom Redirect';
	if (has('opportunityId')) return 'Opportunity';
	if (has('siteSearchQueryId')) return 'Site Search';
	if (has('paidSearchAdId')) return 'Paid Search Ad';
	if (type === 1 && has('emailId')) return 'Email Tracker';
	if (has('emailId') || has('listEmailId')) return 'Email';
	if (type === 20) return 'Visit';
	if (typeof type === 'number' && type >= 23 && type <= 25) return 'Webinar';
	if (type === 28 || type === 29) return 'Event';
	if (type === 27 || type === 30 || type === 34) return 'Video';
	return null;
}
