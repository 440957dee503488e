import type { Stream } from '../model';

/**
 * Field names per resource and API family: what the trigger always reads, what it returns by
 * default on v5 (where `fields` is required), and the documented v5 names a user may pick.
 */

/** The objects an activity can be about, v5 names (their presence tells a form from a form handler). */
export const ACTIVITY_OBJECT_FIELDS_V5 = ['formId', 'formHandlerId', 'landingPageId', 'emailId', 'listEmailId', 'fileId', 'customRedirectId'];

/** Fields the trigger itself reads, always requested (v5) or kept (v3/v4). */
export const REQUIRED_FIELDS: Record<'v5' | 'legacy', Record<Stream, string[]>> = {
	v5: {
		prospects: ['id', 'createdAt', 'updatedAt', 'salesforceLeadId', 'salesforceContactId'],
		opportunities: ['id', 'createdAt', 'updatedAt'],
		// What Activity Types tells apart (activities.ts).
		visitorActivities: ['id', 'createdAt', 'updatedAt', 'type', 'typeName', 'prospectId', 'visitorId', ...ACTIVITY_OBJECT_FIELDS_V5],
		listMemberships: ['id', 'createdAt', 'updatedAt', 'listId', 'prospectId', 'optedOut'],
		lists: ['id', 'createdAt', 'updatedAt'],
		campaigns: ['id', 'createdAt', 'updatedAt'],
		visitors: ['id', 'createdAt', 'updatedAt'],
	},
	legacy: {
		prospects: ['id', 'created_at', 'updated_at', 'crm_lead_fid', 'crm_contact_fid'],
		opportunities: ['id', 'created_at', 'updated_at'],
		visitorActivities: ['id', 'created_at', 'updated_at'],
		listMemberships: ['id', 'created_at', 'updated_at'],
		lists: ['id', 'created_at', 'updated_at'],
		campaigns: ['id', 'created_at', 'updated_at'],
		visitors: ['id', 'created_at', 'updated_at'],
	},
};

/** What v5 returns in `raw` when the user picks no fields: a useful set, not every field. */
export const DEFAULT_FIELDS_V5: Record<Stream, string[]> = {
	prospects: [
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
	],
	opportunities: ['id', 'name', 'value', 'probability', 'type', 'stage', 'status', 'closedAt', 'campaignId', 'createdAt', 'updatedAt'],
	// Not `details`: asking v5 for it makes large activity queries time out (docs/pardot-objects.md).
	visitorActivities: ['id', 'type', 'typeName', 'prospectId', 'visitorId', 'visitId', 'campaignId', 'opportunityId', 'createdAt', 'updatedAt'],
	listMemberships: ['id', 'listId', 'prospectId', 'optedOut', 'createdAt', 'updatedAt'],
	lists: ['id', 'name', 'title', 'description', 'isPublic', 'isDynamic', 'folderId', 'campaignId', 'createdAt', 'updatedAt'],
	campaigns: ['id', 'name', 'cost', 'folderId', 'parentCampaignId', 'salesforceId', 'createdAt', 'updatedAt'],
	visitors: [
		'id',
		'prospectId',
		'pageViewCount',
		'isIdentified',
		'hostname',
		'ipAddress',
		'campaignId',
		'sourceParameter',
		'mediumParameter',
		'campaignParameter',
		'contentParameter',
		'termParameter',
		'createdAt',
		'updatedAt',
	],
};


/**
 * The standard v5 fields of each object (Account Engagement API v5 object reference). Custom
 * fields end in `__c` and are accepted as well; Pardot itself checks that they exist.
 */
export const KNOWN_FIELDS_V5: Partial<Record<Stream, string[]>> = {
	prospects: [
		'id', 'email', 'optedOut', 'isDeleted', 'isDoNotCall', 'isDoNotEmail', 'isEmailHardBounced', 'isReviewed', 'isStarred',
		'doNotSell', 'prospectAccountId', 'campaignId', 'profileId', 'lifecycleStageId', 'userId', 'lastActivityAt',
		'recentInteraction', 'firstName', 'lastName', 'salutation', 'jobTitle', 'emailBouncedAt', 'emailBouncedReason', 'source',
		'sourceParameter', 'campaignParameter', 'mediumParameter', 'contentParameter', 'termParameter', 'firstActivityAt',
		'firstAssignedAt', 'firstReferrerQuery', 'firstReferrerType', 'firstReferrerUrl', 'salesforceId', 'salesforceContactId',
		'salesforceLeadId', 'salesforceAccountId', 'salesforceCampaignId', 'salesforceOwnerId', 'salesforceUrl',
		'salesforceLastSync', 'assignedToId', 'convertedAt', 'convertedFromObjectName', 'convertedFromObjectType', 'grade',
		'phone', 'fax', 'addressOne', 'addressTwo', 'city', 'state', 'zip', 'country', 'company', 'annualRevenue', 'website',
		'industry', 'department', 'yearsInBusiness', 'employees', 'score', 'territory', 'comments', 'notes', 'createdAt',
		'updatedAt', 'createdById', 'updatedById',
	],
	opportunities: [
		'id', 'name', 'value', 'probability', 'type', 'stage', 'status', 'closedAt', 'campaignId', 'salesforceId', 'isDeleted',
		'createdAt', 'updatedAt', 'createdById', 'updatedById',
	],
};

const CUSTOM_FIELD = /^[A-Za-z][A-Za-z0-9_]*__c$/;

/** Splits a comma-separated field list; blank entries are dropped. */
export function parseFieldList(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean);
}

/** The names v5 does not know for this object (standard fields, or custom fields ending in __c). */
export function unknownV5Fields(stream: Stream, fields: string[]): string[] {
	const known = new Set(KNOWN_FIELDS_V5[stream] ?? []);
	return fields.filter((f) => !known.has(f) && !CUSTOM_FIELD.test(f));
}

/** A v3/v4 snake_case name given with v5, or the reverse: the likely mix-up, for the error message. */
export function looksLikeOtherFamily(field: string, v5: boolean): boolean {
	return v5 ? field.includes('_') && !field.endsWith('__c') : /[a-z][A-Z]/.test(field);
}
