import type { IDataObject } from 'n8n-workflow';

import type { Family } from './client';

/**
 * Field names. The node's parameters use v5 names (camelCase); v3/v4 take the same fields by snake_case names.
 * Custom fields keep the name the user picked (the pickers offer the name the credential's API uses).
 */

/** Prospect fields Pardot lets a write set (docs-2020 object field reference, "Editable"; v5 names). */
export const PROSPECT_WRITABLE = [
	'campaignId',
	'salutation',
	'firstName',
	'lastName',
	'email',
	'company',
	'website',
	'jobTitle',
	'department',
	'country',
	'city',
	'state',
	'phone',
	'source',
	'score',
] as const;

/** What a v5 prospect read returns unless the user asks for other fields. */
export const PROSPECT_FIELDS_V5 = ['id', ...PROSPECT_WRITABLE.filter((f) => f !== 'campaignId'), 'campaignId', 'grade', 'salesforceLeadId', 'salesforceContactId', 'lastActivityAt', 'createdAt', 'updatedAt', 'isDeleted'];

export const OPPORTUNITY_FIELDS_V5 = ['id', 'name', 'value', 'probability', 'type', 'stage', 'status', 'closedAt', 'campaignId', 'createdAt', 'updatedAt'];
export const LIST_FIELDS_V5 = ['id', 'name', 'title', 'description', 'isPublic', 'isDynamic', 'folderId', 'campaignId', 'createdAt', 'updatedAt'];
export const MEMBERSHIP_FIELDS_V5 = ['id', 'listId', 'prospectId', 'optedOut', 'createdAt', 'updatedAt'];
export const ACTIVITY_FIELDS_V5 = ['id', 'type', 'typeName', 'prospectId', 'visitorId', 'campaignId', 'details', 'createdAt', 'updatedAt'];

/** firstName -> first_name (v3/v4 names). Names that are not camelCase (custom fields) stay as they are. */
export function legacyName(v5Name: string): string {
	if (v5Name.endsWith('__c')) return v5Name;
	return v5Name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The fields of a write, by the names the family takes. */
export function namesFor(family: Family, fields: IDataObject): IDataObject {
	if (family === 'v5') return fields;
	const out: IDataObject = {};
	for (const [name, value] of Object.entries(fields)) out[legacyName(name)] = value;
	return out;
}

/** A user's comma-separated field list: trimmed, no blanks, no repeats. */
export function fieldList(text: unknown): string[] {
	return [...new Set(String(text ?? '').split(',').map((f) => f.trim()).filter(Boolean))];
}

/** Email syntax as Pardot checks it before writing (an @, a dot in the domain, no spaces, at most 255). */
export function isValidEmail(email: string): boolean {
	return email.length <= 255 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
}

/** A collection of "Additional Fields" and a list of custom fields as one object of field values. */
export function writeFields(additional: IDataObject, custom: IDataObject | undefined): IDataObject {
	const fields: IDataObject = {};
	for (const [name, value] of Object.entries(additional ?? {})) {
		if (value !== undefined && value !== '') fields[name] = value;
	}
	const entries = ((custom?.field as IDataObject[] | undefined) ?? []).filter((f) => String(f.name ?? '').trim());
	for (const entry of entries) fields[String(entry.name).trim()] = entry.value as string;
	return fields;
}

/** Custom field names among a write's fields (for the check that Pardot took them). */
export function customNames(custom: IDataObject | undefined): string[] {
	return ((custom?.field as IDataObject[] | undefined) ?? []).map((f) => String(f.name ?? '').trim()).filter(Boolean);
}
