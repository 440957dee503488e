/** Activity Types (activities.ts): which visitor activities a choice keeps, and the v3/v4 type codes it asks for. */
import { activityTypeCodes, matchesActivityKinds } from '../../../nodes/PardotTrigger/activities';

test.each([
	['no choice keeps every activity', { type: 6 }, [], true],
	['an email open is type 11', { type: 11 }, ['emailOpen'], true],
	['a form submission is type 4 with a form (v5 name)', { type: 4, formId: 7 }, ['formSubmission'], true],
	['a form submission is type 4 with a form (v3/v4 name)', { type: '4', form_id: 7 }, ['formSubmission'], true],
	['a form handler submission is not a form submission', { type: 4, formHandlerId: 3 }, ['formSubmission'], false],
	['a type 4 without the object it is about is none of them', { type: 4, formId: null }, ['formSubmission', 'formHandlerSubmission'], false],
	['a type 4 whose form is null (v3/v4 name) is not a form submission', { type: '4', form_id: null }, ['formSubmission'], false],
	['a type 4 whose form is empty is not a form submission', { type: 4, formId: '' }, ['formSubmission'], false],
	['a form id 0 is a form', { type: 4, formId: 0 }, ['formSubmission'], true],
	['a click in an email is type 1 with an email', { type: 1, emailId: 9 }, ['emailClick'], true],
	['another type is not kept', { type: 20 }, ['emailOpen'], false],
])('%s', (_name, raw, kinds, expected) => {
	expect(matchesActivityKinds(raw, kinds)).toBe(expected);
});

test('v3/v4 ask for each type code once, in order; no choice asks for none', () => {
	expect(activityTypeCodes(['emailOpen', 'formSubmission', 'formHandlerSubmission'])).toBe('4,11');
	expect(activityTypeCodes([])).toBeUndefined();
	// In numeric order, whatever the order of the choice or of the list of kinds (1 email click, 4, 11, 20 visit).
	expect(activityTypeCodes(['visit', 'emailOpen', 'formSubmission', 'emailClick'])).toBe('1,4,11,20');
});
