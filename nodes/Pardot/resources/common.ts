import type { INodeProperties } from 'n8n-workflow';

/** Parameters several resources share. */

/** A prospect by ID or by email (a resource locator). */
export const prospectLocator: INodeProperties = {
	displayName: 'Prospect',
	name: 'prospect',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'id', value: '' },
	modes: [
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '12345',
			validation: [{ type: 'regex', properties: { regex: '^\\s*[0-9]+\\s*$', errorMessage: 'A prospect ID is a number' } }],
		},
		{ displayName: 'By Email', name: 'email', type: 'string', placeholder: 'name@email.com' },
	],
};

/** A list, picked from the account (searchable) or given by ID. */
export const listLocator: INodeProperties = {
	displayName: 'List',
	name: 'list',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	modes: [
		{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchLists', searchable: true } },
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '42',
			validation: [{ type: 'regex', properties: { regex: '^\\s*[0-9]+\\s*$', errorMessage: 'A list ID is a number' } }],
		},
	],
};

/** Custom fields of the account, by name (the picker offers the names the credential's API version takes). */
export const customFieldsParameter: INodeProperties = {
	displayName: 'Custom Fields',
	name: 'customFields',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Custom Field',
	default: {},
	options: [
		{
			displayName: 'Field',
			name: 'field',
			values: [
				{
					displayName: 'Field Name or ID',
					name: 'name',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getCustomFields' },
					default: '',
					description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					hint: 'A field\'s API name (its Field ID in Pardot)',
				},
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
};

/** displayOptions for some operations of one resource: `showFor('prospect')(['create'])`. */
export const showFor = (resource: string) => (operation: string[]) => ({ show: { resource: [resource], operation } });

const CHOOSE = 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>';

/** A field picked from the account (a loadOptions method); `lead` says what it is for, before the usual hint. */
export function pickerField(displayName: string, name: string, loadOptionsMethod: string, lead?: string): INodeProperties {
	return { displayName, name, type: 'options', typeOptions: { loadOptionsMethod }, default: '', description: lead ? `${lead} ${CHOOSE}.` : CHOOSE };
}

/** Return All and Limit for a Get Many of `resource`. */
export function getManyParameters(resource: string): INodeProperties[] {
	const show = showFor(resource)(['getMany']);
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: show,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show.show, returnAll: [false] } },
		},
	];
}
