/**
 * The simulator in its own process, driven over IPC by bench/remote.ts. Pardot is a remote server:
 * keeping its work (and its memory) out of the process that runs the trigger makes the trigger's
 * time and memory figures its own. Operations are the simulator's control API (`sim.control.*`)
 * plus two bulk writes that only this worker has, so 100,000 changes cost one message.
 */
import { startSimulator } from '../simulator';
import type { SimulatorHandle } from '../simulator';
import type { RecordType } from '../simulator/types';

export interface BulkCreate {
	type: RecordType;
	n: number;
	/** Instants of the writes, spread evenly over [fromMs, toMs] (all at fromMs when equal). */
	fromMs: number;
	toMs: number;
	/** Offset added to the sample data numbering, so rounds do not repeat names. */
	tag?: number;
	/** Set on every record over the sample fields (e.g. email opens instead of form submissions). */
	fields?: Record<string, unknown>;
}

export interface BulkUpdate {
	type: RecordType;
	ids: number[];
	fromMs: number;
	toMs: number;
	tag?: number;
}

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia', 'Guido', 'Hedy', 'Donald'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Perlman', 'Lamarr'];
const COMPANY = ['Acme Corp', 'Globex', 'Initech', 'Umbrella Labs', 'Hooli', 'Vandelay Industries', 'Pied Piper'];
const TITLE = ['CTO', 'VP Marketing', 'Marketing Manager', 'Developer', 'Head of Sales', 'Analyst'];
const FORMS: Array<[number, string]> = [
	[1101, 'Contact us'],
	[1102, 'Webinar registration'],
	[1103, 'Whitepaper download'],
];
const STAGE: Array<[string, number, string]> = [
	['Prospecting', 10, 'open'],
	['Qualification', 20, 'open'],
	['Proposal/Price Quote', 65, 'open'],
	['Closed Won', 100, 'won'],
];

/**
 * A record of any type with the fields a real account fills in (deterministic): each object its own. Visitor
 * activities are form submissions (type 4 with a form); list memberships put prospect 10,000,000 + i in one of 8
 * lists, so every i is a new (list, prospect) pair.
 */
export function sampleFields(type: RecordType, i: number): Record<string, unknown> {
	const first = FIRST[i % FIRST.length];
	const last = LAST[(i * 7) % LAST.length];
	const company = COMPANY[(i * 3) % COMPANY.length];
	switch (type) {
		case 'prospect':
			return {
				firstName: first,
				lastName: last,
				email: `${first}.${last}.${i}@example.com`.toLowerCase(),
				company,
				jobTitle: TITLE[(i * 5) % TITLE.length],
				city: 'Boston',
				country: 'United States',
				source: 'Website',
				score: (i * 13) % 200,
				grade: 'B+',
				salesforceLeadId: i % 4 === 0 ? `00Q${String(i).padStart(15, '0')}` : null,
			};
		case 'opportunity': {
			const [stage, probability, status] = STAGE[i % STAGE.length];
			return {
				name: `${COMPANY[i % COMPANY.length]} deal ${i}`,
				value: 1000 + ((i * 37) % 50_000),
				probability,
				stage,
				status,
				type: 'New Business',
			};
		}
		case 'visitorActivity': {
			const [formId, name] = FORMS[i % FORMS.length];
			return { type: 4, typeName: 'Form', formId, details: name, prospectId: 10_000_000 + (i % 5_000), visitorId: 1_000_000 + i, campaignId: 1 + (i % 12) };
		}
		case 'listMembership':
			return { listId: 30_001 + (i % 8), prospectId: 10_000_000 + i, optedOut: i % 13 === 0 };
		case 'list':
			return {
				name: `${company} ${TITLE[i % TITLE.length]} list ${i}`,
				title: `${company} newsletter`,
				description: `Prospects of ${company}`,
				isPublic: i % 2 === 0,
				isDynamic: i % 5 === 0,
				isCrmVisible: i % 3 === 0,
				folderId: 200 + (i % 4),
			};
		case 'campaign':
			return { name: `${company} campaign ${i}`, cost: (i * 250) % 10_000, folderId: 100 + (i % 5), salesforceId: `701${String(i).padStart(15, '0')}` };
		case 'visitor':
			return {
				prospectId: i % 4 === 0 ? 10_000_000 + (i % 5_000) : null,
				pageViewCount: 1 + (i % 40),
				ipAddress: `203.0.113.${1 + (i % 254)}`,
				hostname: `host-203-0-113-${1 + (i % 254)}.example.net`,
				sourceParameter: i % 3 === 0 ? 'newsletter' : null,
				mediumParameter: i % 3 === 0 ? 'email' : null,
				campaignParameter: null,
				contentParameter: null,
				termParameter: null,
				isIdentified: i % 4 === 0,
				doNotSell: false,
			};
		case 'user':
			return { email: `${first}.${last}.${i}@example.com`.toLowerCase(), firstName: first, lastName: last, username: `${first}.${last}.${i}`.toLowerCase(), jobTitle: TITLE[i % TITLE.length], role: 'Sales' };
	}
}

/** What an update changes on each object (visitor activities are never updated). */
function updateFields(type: RecordType, i: number): Record<string, unknown> {
	switch (type) {
		case 'prospect':
			return { score: i % 300, jobTitle: TITLE[i % TITLE.length] };
		case 'opportunity':
			return { value: 2000 + i };
		case 'listMembership':
			return { optedOut: i % 2 === 0 };
		case 'list':
			return { title: `Newsletter ${i}` };
		case 'campaign':
			return { cost: 500 + i };
		case 'visitor':
			return { pageViewCount: 41 + i };
		case 'visitorActivity':
			throw new Error('Pardot never updates a visitor activity');
		case 'user':
			return { jobTitle: TITLE[i % TITLE.length] };
	}
}

const at = (i: number, n: number, fromMs: number, toMs: number) =>
	new Date(n <= 1 ? fromMs : fromMs + Math.round(((toMs - fromMs) * i) / (n - 1))).toISOString();

let sim: SimulatorHandle | undefined;

async function handle(op: string, arg: any): Promise<unknown> {
	if (op === 'start') {
		sim = await startSimulator({ clock: '2026-11-27T12:00:00Z', ...(arg ?? {}) });
		return { baseUrl: sim.baseUrl };
	}
	if (!sim) throw new Error('simulator not started');
	if (op === 'close') {
		await sim.close();
		setImmediate(() => process.exit(0));
		return { ok: true };
	}
	if (op === 'bulkCreate') {
		const { type, n, fromMs, toMs, tag = 0, fields } = arg as BulkCreate;
		let first = 0;
		let last = 0;
		for (let i = 0; i < n; i++) {
			const record = sim.control.create({ type, fields: { ...sampleFields(type, tag + i), ...fields }, at: at(i, n, fromMs, toMs) });
			if (i === 0) first = record.id;
			last = record.id;
		}
		return { first, last };
	}
	if (op === 'bulkUpdate') {
		const { type, ids, fromMs, toMs, tag = 0 } = arg as BulkUpdate;
		ids.forEach((id, i) => {
			sim!.control.update({ type, id, fields: updateFields(type, tag + i), at: at(i, ids.length, fromMs, toMs) });
		});
		return { updated: ids.length };
	}
	if (op === 'memory') return process.memoryUsage();
	const control = sim.control as unknown as Record<string, (a: unknown) => unknown>;
	if (typeof control[op] !== 'function') throw new Error(`unknown operation ${op}`);
	return control[op](arg);
}

process.on('message', (message: { id: number; op: string; arg: unknown }) => {
	handle(message.op, message.arg).then(
		(result) => process.send!({ id: message.id, ok: true, result }),
		(error: Error) => process.send!({ id: message.id, ok: false, error: error?.message ?? String(error) }),
	);
});
