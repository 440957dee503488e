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
const STAGE: Array<[string, number, string]> = [
	['Prospecting', 10, 'open'],
	['Qualification', 20, 'open'],
	['Proposal/Price Quote', 65, 'open'],
	['Closed Won', 100, 'won'],
];

/** A prospect or opportunity with the fields a real account fills in (deterministic). */
export function sampleFields(type: RecordType, i: number): Record<string, unknown> {
	if (type === 'prospect') {
		const first = FIRST[i % FIRST.length];
		const last = LAST[(i * 7) % LAST.length];
		return {
			firstName: first,
			lastName: last,
			email: `${first}.${last}.${i}@example.com`.toLowerCase(),
			company: COMPANY[(i * 3) % COMPANY.length],
			jobTitle: TITLE[(i * 5) % TITLE.length],
			city: 'Boston',
			country: 'United States',
			source: 'Website',
			score: (i * 13) % 200,
			grade: 'B+',
			salesforceLeadId: i % 4 === 0 ? `00Q${String(i).padStart(15, '0')}` : null,
		};
	}
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
		const { type, n, fromMs, toMs, tag = 0 } = arg as BulkCreate;
		let first = 0;
		let last = 0;
		for (let i = 0; i < n; i++) {
			const record = sim.control.create({ type, fields: sampleFields(type, tag + i), at: at(i, n, fromMs, toMs) });
			if (i === 0) first = record.id;
			last = record.id;
		}
		return { first, last };
	}
	if (op === 'bulkUpdate') {
		const { type, ids, fromMs, toMs, tag = 0 } = arg as BulkUpdate;
		ids.forEach((id, i) => {
			const fields = type === 'prospect' ? { score: (tag + i) % 300, jobTitle: TITLE[(tag + i) % TITLE.length] } : { value: 2000 + tag + i };
			sim!.control.update({ type, id, fields, at: at(i, ids.length, fromMs, toMs) });
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
