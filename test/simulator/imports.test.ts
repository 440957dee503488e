import type { SimulatorHandle } from '../../simulator';
import { accessToken, at, enc, simulatorForFile, v5 } from '../lib/simulator';
import { multipart, v5Call } from './write-helpers';

let sim: SimulatorHandle;
let token: string;
const NOW = at(3_600_000);
const later = (ms: number) => at(3_600_000 + ms);

const env = simulatorForFile({ frozenAt: NOW, login: 'accessToken' });
beforeEach(() => ({ sim, credential: token } = env.current()));

const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => v5Call(sim, token, method, path, body, headers);
const error = (res: { status: number; json: any }) => [res.status, res.json?.code];
const advance = (ms: number) => sim.control.clock({ advanceMs: ms });
const prospects = () => sim.control.records({ type: 'prospect' });

const STATUS_FIELDS = 'id,status,isExpired,createdCount,updatedCount,errorCount,errorsRef,batchesRef';
const read = async (id: number, fields = STATUS_FIELDS) => (await call('GET', `imports/${id}?fields=${enc(fields)}`)).json;

/** POSTs a CSV batch (multipart part `file`). */
function upload(id: number, csv: string, name = 'file') {
	const { body, contentType } = multipart([[name, csv, 'batch.csv']]);
	return call('POST', `imports/${id}/batches`, body, { 'Content-Type': contentType });
}

async function openImport(input: Record<string, unknown> = {}): Promise<number> {
	const res = await call('POST', 'imports', { operation: 'Upsert', object: 'Prospect', ...input });
	expect(res.status).toBe(201);
	return res.json.id as number;
}

describe('an import from create to its errors file', () => {
	it('create (Open), upload a batch (204), submit (Waiting), then Complete with counts and the failed rows', async () => {
		const known = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'known@example.com', firstName: 'Old', company: 'Acme' } });
		const created = await call('POST', 'imports', { operation: 'Upsert', object: 'Prospect' });
		expect(created.status).toBe(201);
		const id = created.json.id as number;
		expect(created.json).toEqual({ id, status: 'Open', isExpired: false, batchesRef: `${sim.baseUrl}/api/v5/imports/${id}/batches` });
		expect(created.headers.get('location')).toBe(`${sim.baseUrl}/api/v5/imports/${id}`);

		const csv = [
			'matchEmail,matchId,email,firstName,score',
			',,new@example.com,New,10',
			'known@example.com,,,Updated,',
			'"",,"broken",Bad,',
			`,${known.id},,"Quote ""Q""",3`,
			`known@example.com,${known.id},,Both,`,
			',,x@example.com,Score,high',
		].join('\r\n');
		const batch = await upload(id, csv);
		expect([batch.status, batch.text]).toEqual([204, '']);
		expect(await read(id)).toMatchObject({ status: 'Open', createdCount: null, batchesRef: expect.any(String) });

		const submitted = await call('PATCH', `imports/${id}`, { status: 'Ready' });
		expect([submitted.status, submitted.json]).toEqual([200, { id, status: 'Waiting', isExpired: false }]);
		// importWaitMs and importProcessingMs are 0: complete by the next request.
		expect(await read(id)).toEqual({
			id,
			status: 'Complete',
			isExpired: false,
			createdCount: 1,
			updatedCount: 2,
			errorCount: 3,
			errorsRef: `${sim.baseUrl}/api/v5/imports/${id}/errors`,
			batchesRef: null,
		});
		const all = prospects();
		expect(all).toHaveLength(2);
		expect(all.find((p) => p.email === 'new@example.com')).toMatchObject({ firstName: 'New', score: 10, createdAt: NOW });
		// Blank values overwrite by default: company was not in the file, score was blank in one row, then 3.
		expect(all.find((p) => p.id === known.id)).toMatchObject({ firstName: 'Quote "Q"', company: 'Acme', score: 3, updatedAt: NOW });

		const errors = await call('GET', `imports/${id}/errors`);
		expect(errors.status).toBe(200);
		expect(errors.headers.get('content-type')).toContain('text/csv');
		expect(errors.text.split('\r\n')).toEqual([
			'matchEmail,matchId,email,firstName,score,error',
			',,broken,Bad,,Invalid prospect email address: broken',
			`known@example.com,${known.id},,Both,,"Only one match column may have a value (got matchId, matchEmail)"`,
			',,x@example.com,Score,high,Invalid number for score: high',
			'',
		]);
	});

	it('a create with the file and status Ready (multipart input + file) starts at once', async () => {
		const { body, contentType } = multipart([
			['input', JSON.stringify({ operation: 'Upsert', object: 'Prospect', status: 'Ready' })],
			['file', 'email,lastName\none@example.com,One\ntwo@example.com,Two\n', 'prospects.csv'],
		]);
		const res = await call('POST', `imports?fields=${enc('id,status,batchesRef')}`, body, { 'Content-Type': contentType });
		expect([res.status, res.json]).toEqual([201, { id: expect.any(Number), status: 'Waiting', batchesRef: null }]);
		expect(await read(res.json.id, 'status,createdCount,errorCount,errorsRef')).toEqual({ status: 'Complete', createdCount: 2, errorCount: 0, errorsRef: null });
		expect(prospects().map((p) => p.lastName)).toEqual(['One', 'Two']);
	});
});

describe('processing in simulated time', () => {
	it('Waiting for importWaitMs, Processing for importProcessingMs with rows applied one by one at their instants, then Complete', async () => {
		sim.control.configure({ importWaitMs: 10_000, importProcessingMs: 20_000 });
		const id = await openImport();
		await upload(id, ['email', 'a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'].join('\n'));
		await call('PATCH', `imports/${id}`, { status: 'Ready' });
		advance(9_999);
		expect((await read(id, 'status,createdCount')).status).toBe('Waiting');
		expect(prospects()).toEqual([]);
		advance(1);
		expect(await read(id, 'status,createdCount')).toEqual({ status: 'Processing', createdCount: null });
		advance(10_000);
		// Rows at 5 s, 10 s, 15 s, 20 s into processing: two are in.
		expect(prospects().map((p) => [p.email, p.createdAt])).toEqual([
			['a@example.com', later(15_000)],
			['b@example.com', later(20_000)],
		]);
		// The reads see them at those times, like any write (the trigger's view).
		const seen = await v5(sim, token, 'prospects', `fields=email,createdAt&createdAtAfterOrEqualTo=${enc('2026-11-27T13:00:15+00:00')}`);
		expect(seen.json.values).toEqual([
			{ email: 'a@example.com', createdAt: '2026-11-27T13:00:15+00:00' },
			{ email: 'b@example.com', createdAt: '2026-11-27T13:00:20+00:00' },
		]);
		advance(10_000);
		expect(await read(id, 'status,createdCount,updatedAt')).toEqual({ status: 'Complete', createdCount: 4, updatedAt: '2026-11-27T13:00:30+00:00' });
		expect(prospects().map((p) => p.createdAt)).toEqual([later(15_000), later(20_000), later(25_000), later(30_000)]);
	});

	it('the control API applies due rows before it reads or writes, so its writes come after them', async () => {
		sim.control.configure({ importProcessingMs: 1_000 });
		const id = await openImport();
		await upload(id, 'email,firstName\nctl@example.com,Import\n');
		await call('PATCH', `imports/${id}`, { status: 'Ready' });
		advance(5_000);
		const [made] = sim.control.records({ type: 'prospect' });
		expect(made).toMatchObject({ firstName: 'Import', createdAt: later(1_000) });
		sim.control.update({ type: 'prospect', id: made.id, fields: { firstName: 'Control' } });
		expect(sim.control.history({ type: 'prospect', id: made.id }).map((v) => v.writtenAt)).toEqual([later(1_000), later(5_000)]);
	});
});

describe('matching options', () => {
	it('restoreDeleted: a matched prospect in the recycle bin fails the row unless it is true', async () => {
		const gone = sim.control.create({ type: 'prospect', fields: { email: 'gone@example.com' } });
		sim.control.delete({ type: 'prospect', id: gone.id });
		const csv = `matchId,firstName\n${gone.id},Back\n`;
		const refusing = await openImport();
		await upload(refusing, csv);
		await call('PATCH', `imports/${refusing}`, { status: 'Ready' });
		expect(await read(refusing, 'updatedCount,errorCount')).toEqual({ updatedCount: 0, errorCount: 1 });
		const restoring = await openImport({ restoreDeleted: true });
		await upload(restoring, csv);
		await call('PATCH', `imports/${restoring}`, { status: 'Ready' });
		expect(await read(restoring, 'updatedCount,errorCount')).toEqual({ updatedCount: 1, errorCount: 0 });
		expect(prospects()[0]).toMatchObject({ deleted: false, firstName: 'Back' });
	});

	it('createOnNoMatch false: a row whose match finds nothing fails', async () => {
		const id = await openImport({ createOnNoMatch: false });
		await upload(id, 'matchEmail,firstName\nnobody@example.com,No\n');
		await call('PATCH', `imports/${id}`, { status: 'Ready' });
		expect(await read(id, 'createdCount,errorCount')).toEqual({ createdCount: 0, errorCount: 1 });
		expect((await call('GET', `imports/${id}/errors`)).text).toContain('createOnNoMatch is false');
	});

	it('columns: overwrite false keeps the value on updates, nullOverwrite false keeps it when the cell is blank', async () => {
		const p = sim.control.create({ type: 'prospect', fields: { email: 'col@example.com', firstName: 'Keep', lastName: 'Keep', company: 'Keep' } });
		const columns = [
			{ field: 'matchEmail' },
			{ field: 'firstName', overwrite: false },
			{ field: 'lastName', nullOverwrite: false },
			{ field: 'company' },
		];
		const id = await openImport({ columns });
		await upload(id, 'matchEmail,firstName,lastName,company\ncol@example.com,New,,\n');
		await call('PATCH', `imports/${id}`, { status: 'Ready' });
		await read(id);
		expect(prospects().find((r) => r.id === p.id)).toMatchObject({ firstName: 'Keep', lastName: 'Keep', company: null });
		const mismatch = await openImport({ columns: [{ field: 'email' }] });
		expect(error(await upload(mismatch, 'email,firstName\na@example.com,A\n'))).toEqual([400, 226]);
		expect(error(await call('POST', 'imports', { operation: 'Upsert', object: 'Prospect', columns: [{ overwrite: true }] }))).toEqual([400, 165]);
	});

	it('matchEmail updates the prospect v5UpsertMatch picks; without AMPSEA a new row with a used email fails', async () => {
		const older = sim.control.create({ type: 'prospect', at: at(0), fields: { email: 'dup@example.com', lastActivityAt: at(9_000) } });
		sim.control.create({ type: 'prospect', at: at(1_000), fields: { email: 'dup@example.com' } });
		sim.control.configure({ ampsea: false });
		const id = await openImport();
		await upload(id, 'matchEmail,email,city\ndup@example.com,,Oslo\n,dup@example.com,Rome\n');
		await call('PATCH', `imports/${id}`, { status: 'Ready' });
		expect(await read(id, 'updatedCount,createdCount,errorCount')).toEqual({ updatedCount: 1, createdCount: 0, errorCount: 1 });
		expect(prospects().find((p) => p.id === older.id)!.city).toBe('Oslo');
	});
});

describe('validations', () => {
	it('create: operation Upsert and object Prospect required; known properties only; Ready needs a file', async () => {
		expect(error(await call('POST', 'imports', { object: 'Prospect' }))).toEqual([400, 153]);
		expect(error(await call('POST', 'imports', { operation: 'Insert', object: 'Prospect' }))).toEqual([400, 154]);
		expect(error(await call('POST', 'imports', { operation: 'Upsert', object: 'Opportunity' }))).toEqual([400, 154]);
		expect(error(await call('POST', 'imports', { operation: 'Upsert', object: 'Prospect', state: 'Ready' }))).toEqual([400, 154]);
		expect(error(await call('POST', 'imports', { operation: 'Upsert', object: 'Prospect', restoreDeleted: 'yes' }))).toEqual([400, 154]);
		expect(error(await call('POST', 'imports', { operation: 'Upsert', object: 'Prospect', status: 'Ready' }))).toEqual([400, 156]);
		expect(error(await call('POST', 'imports', 'operation=Upsert', { 'Content-Type': 'text/plain' }))).toEqual([400, 151]);
		const twoFiles = multipart([
			['input', JSON.stringify({ operation: 'Upsert', object: 'Prospect' })],
			['file', 'email\na@example.com\n', 'a.csv'],
			['file', 'email\nb@example.com\n', 'b.csv'],
		]);
		expect(error(await call('POST', 'imports', twoFiles.body, { 'Content-Type': twoFiles.contentType }))).toEqual([400, 163]);
		const noInput = multipart([['file', 'email\na@example.com\n', 'a.csv']]);
		expect(error(await call('POST', 'imports', noInput.body, { 'Content-Type': noInput.contentType }))).toEqual([400, 166]);
		const badFile = multipart([
			['input', JSON.stringify({ operation: 'Upsert', object: 'Prospect', status: 'Ready' })],
			['file', 'nope\nx\n', 'a.csv'],
		]);
		expect(error(await call('POST', 'imports', badFile.body, { 'Content-Type': badFile.contentType }))).toEqual([400, 130]);
		expect(error(await call('GET', 'imports/1?fields=id'))).toEqual([404, 192]);
	});

	it('batches: a valid CSV of writable prospect fields and match columns, the same header, at most 10, while Open', async () => {
		const id = await openImport();
		expect(error(await call('POST', `imports/${id}/batches`, { email: 'x' }))).toEqual([400, 151]);
		expect(error(await upload(id, 'email\na@example.com\n', 'upload'))).toEqual([400, 162]);
		expect(error(await upload(id, 'email,firstName\n"a@example.com,A\n'))).toEqual([400, 159]);
		expect(error(await upload(id, 'email,firstName\na@example.com\n'))).toEqual([400, 159]);
		expect(error(await upload(id, 'email,firstName\n'))).toEqual([400, 159]);
		const unknown = await upload(id, 'email,first_name,grade\na@example.com,A,B\n');
		expect(error(unknown)).toEqual([400, 130]);
		expect(unknown.json.message).toContain('first_name, grade');
		const lists = await upload(id, 'email,addToList\na@example.com,5\n');
		expect(lists.status).toBe(501);
		expect((await upload(id, 'email,firstName\na@example.com,A\n')).status).toBe(204);
		expect(error(await upload(id, 'firstName,email\nB,b@example.com\n'))).toEqual([400, 130]);
		for (let n = 2; n <= 10; n++) expect((await upload(id, `email,firstName\nn${n}@example.com,N\n`)).status).toBe(204);
		expect(error(await upload(id, 'email,firstName\nz@example.com,Z\n'))).toEqual([400, 160]);
		await call('PATCH', `imports/${id}`, { status: 'Ready' });
		expect(error(await upload(id, 'email,firstName\nlate@example.com,L\n'))).toEqual([400, 161]);
		expect(error(await upload(999, 'email\na@example.com\n'))).toEqual([404, 192]);
	});

	it('update: {"status":"Ready"} only, once, with data (154, 155, 156); read needs fields; errors only when Complete (161)', async () => {
		const id = await openImport();
		expect(error(await call('PATCH', `imports/${id}`, { status: 'Ready' }))).toEqual([400, 156]);
		expect(error(await call('PATCH', `imports/${id}`, { status: 'Complete' }))).toEqual([400, 154]);
		expect(error(await call('PATCH', `imports/${id}`, { status: 'Ready', restoreDeleted: true }))).toEqual([400, 154]);
		expect(error(await call('GET', `imports/${id}/errors`))).toEqual([400, 161]);
		await upload(id, 'email\nu@example.com\n');
		sim.control.configure({ importWaitMs: 60_000 });
		expect((await call('PATCH', `imports/${id}`, { status: 'Ready' })).status).toBe(200);
		expect(error(await call('PATCH', `imports/${id}`, { status: 'Ready' }))).toEqual([400, 155]);
		expect(error(await call('GET', `imports/${id}/errors`))).toEqual([400, 161]);
		expect(error(await call('GET', `imports/${id}`))).toEqual([400, 13]);
		expect(error(await call('GET', `imports/${id}?fields=id,state`))).toEqual([400, 51]);
		expect((await call('GET', 'imports?fields=id')).status).toBe(501);
	});

	it('expiry: an Open import after 24 hours, results 7 days after completion', async () => {
		const open = await openImport();
		advance(24 * 3_600_000);
		token = await accessToken(sim);
		expect(await read(open, 'status,isExpired,batchesRef')).toEqual({ status: 'Open', isExpired: true, batchesRef: null });
		expect(error(await upload(open, 'email\na@example.com\n'))).toEqual([400, 161]);
		const done = await openImport();
		await upload(done, 'email,score\na@example.com,x\n');
		await call('PATCH', `imports/${done}`, { status: 'Ready' });
		expect((await read(done, 'errorsRef')).errorsRef).not.toBeNull();
		advance(7 * 24 * 3_600_000);
		token = await accessToken(sim);
		expect(await read(done, 'status,isExpired,errorsRef,errorCount')).toEqual({ status: 'Complete', isExpired: true, errorsRef: null, errorCount: 1 });
		expect(error(await call('GET', `imports/${done}/errors`))).toEqual([400, 161]);
	});
});

describe('imports are API calls like the rest', () => {
	it('stats names, the daily limit, faults', async () => {
		sim.control.resetStats();
		const id = await openImport();
		await upload(id, 'email\ns@example.com\n');
		await call('PATCH', `imports/${id}`, { status: 'Ready' });
		await read(id);
		await call('GET', `imports/${id}/errors`);
		expect(sim.control.stats().byEndpoint).toMatchObject({
			'v5.imports.create': 1,
			'v5.imports.batches': 1,
			'v5.imports.update': 1,
			'v5.imports.read': 1,
			'v5.imports.errors': 1,
		});
		sim.control.configure({ dailyApiLimit: 1 });
		expect((await call('POST', 'imports', { operation: 'Upsert', object: 'Prospect' })).status).toBe(201);
		expect(error(await call('POST', 'imports', { operation: 'Upsert', object: 'Prospect' }))).toEqual([400, 122]);
		sim.control.configure({ dailyApiLimit: 0 });
		sim.control.fault({ kind: 'resetAfter', path: '/batches' });
		const other = await openImport();
		await expect(upload(other, 'email\nr@example.com\n')).rejects.toThrow();
		// The batch went in: a retry would add it twice.
		expect(error(await call('PATCH', `imports/${other}`, { status: 'Ready' }))).toEqual([200, undefined]);
		expect(await read(other, 'createdCount')).toEqual({ createdCount: 1 });
	});
});
