import type { IDataObject } from 'n8n-workflow';

/**
 * Visitor activity types as users pick them, and how each is told apart: Pardot's type code
 * (docs/pardot-objects.md, the code table), and for the codes shared by several kinds, which object
 * the activity is about (a form submission and a form handler submission are both type 4, Success).
 */
export interface ActivityKind {
	value: string;
	name: string;
	description: string;
	code: number;
	/** The object the activity must be about (v5 name; v3/v4 use the snake_case one). */
	about?: { v5: string; legacy: string };
}

export const ACTIVITY_KINDS: ActivityKind[] = [
	{ value: 'formSubmission', name: 'Form Submission', description: 'A Pardot form was submitted (type 4 with a form)', code: 4, about: { v5: 'formId', legacy: 'form_id' } },
	{
		value: 'formHandlerSubmission',
		name: 'Form Handler Submission',
		description: 'A form handler received a submission (type 4 with a form handler)',
		code: 4,
		about: { v5: 'formHandlerId', legacy: 'form_handler_id' },
	},
	{
		value: 'landingPageSubmission',
		name: 'Landing Page Submission',
		description: 'A landing page form was submitted (type 4 with a landing page)',
		code: 4,
		about: { v5: 'landingPageId', legacy: 'landing_page_id' },
	},
	{ value: 'emailOpen', name: 'Email Open', description: 'An email was opened (type 11)', code: 11 },
	{ value: 'emailClick', name: 'Email Click', description: 'A link in an email was clicked (type 1 with an email)', code: 1, about: { v5: 'emailId', legacy: 'email_id' } },
	{ value: 'fileAccess', name: 'File Access', description: 'A tracked file was opened (type 2 with a file)', code: 2, about: { v5: 'fileId', legacy: 'file_id' } },
	{ value: 'customUrlClick', name: 'Custom URL Click', description: 'A custom redirect was clicked (type 21)', code: 21 },
	{ value: 'visit', name: 'Visit', description: 'A visit to the website (type 20)', code: 20 },
	{ value: 'unsubscribe', name: 'Unsubscribe', description: 'An unsubscribe page was submitted (type 12)', code: 12 },
];

/** Whether an activity record is one of the chosen kinds (every activity when none is chosen). */
export function matchesActivityKinds(raw: IDataObject, kinds: string[]): boolean {
	if (kinds.length === 0) return true;
	const code = Number(raw.type);
	return ACTIVITY_KINDS.some((kind) => {
		if (!kinds.includes(kind.value) || kind.code !== code) return false;
		if (!kind.about) return true;
		const id = raw[kind.about.v5] ?? raw[kind.about.legacy];
		return id !== undefined && id !== null && id !== '';
	});
}

/** The type codes of the chosen kinds, for the v3/v4 `type` criterion ("4,11"); undefined: all. */
export function activityTypeCodes(kinds: string[]): string | undefined {
	const codes = [...new Set(ACTIVITY_KINDS.filter((kind) => kinds.includes(kind.value)).map((kind) => kind.code))].sort((a, b) => a - b);
	return codes.length ? codes.join(',') : undefined;
}
