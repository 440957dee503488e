/** Leads Are = Salesforce Leads (leads.ts): a prospect's life as a lead, told from the open leads reported. */
import { leadEventType, rememberLead } from '../../../nodes/PardotTrigger/leads';
import { change, s } from '../../lib/changes';

const START = s(0);
const lead = (id: number, createdSec = -1000) => change(id, 10, { createdSec, raw: { id, salesforceLeadId: '00Q1' } });
const contact = (id: number) => change(id, 10, { raw: { id, salesforceLeadId: '00Q1', salesforceContactId: '0031' } });
const memory = (...open: string[]) => ({ open: new Set(open), start: START });

test.each([
	['a new prospect that is a lead', lead(1, 5), 'UPDATED', memory(), 'CREATED'],
	['a prospect created before the start, first seen as a lead', lead(1), 'UPDATED', memory(), 'UPDATED'],
	['a lead reported before, changed', lead(1), 'UPDATED', memory('1'), 'UPDATED'],
	['a lead reported before, converted to a contact', contact(1), 'UPDATED', memory('1'), 'UPDATED'],
	['a prospect that never was a lead', change(1, 10), 'UPDATED', memory(), undefined],
	['a lead reported before, deleted', change(1, 10, { deleted: true }), 'DELETED', memory('1'), 'DELETED'],
	['a prospect that never was a lead, deleted', change(1, 10, { deleted: true }), 'DELETED', memory(), undefined],
] as const)('%s: %s -> %s', (_name, record, type, known, expected) => {
	expect(leadEventType(record, type, known)).toBe(expected);
});

test('the memory holds the open leads: converted and deleted ones leave it', () => {
	const known = memory();
	rememberLead(lead(1), 'CREATED', known);
	rememberLead(lead(2), 'UPDATED', known);
	expect([...known.open]).toEqual(['1', '2']);
	rememberLead(contact(1), 'UPDATED', known);
	rememberLead(lead(2), 'DELETED', known);
	expect([...known.open]).toEqual([]);
});
