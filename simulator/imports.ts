/**
 * The v5 Import API (bulk prospect upsert from CSV): `POST /api/v5/imports` (create, optionally with
 * the first file and `status: "Ready"`), `POST /api/v5/imports/<id>/batches` (a CSV batch, multipart
 * part `file`), `PATCH /api/v5/imports/<id>` (`{"status":"Ready"}` submits it), `GET
 * /api/v5/imports/<id>?fields=...` (status and counts), `GET /api/v5/imports/<id>/errors` (the failed
 * rows as CSV). A submitted import waits `importWaitMs`, then processes for `importProcessingMs` in
 * simulated time, applying its rows to the store one by one, each at its own instant (settleImports),
 * so the reads (and the trigger) see created and updated prospects at those times. Facts and sources:
 * docs/pardot-api-notes.md, "Import API (v5)".
 */
import { authenticateV5 } from './auth';
import { csvField, isMultipart, jsonObject, multipartParts, parseCsv } from './bodies';
import type { HandlerState, RequestContext } from './context';
import { PardotError } from './errors';
import type { ImportColumn, ImportJob, ImportStatus } from './jobs';
import { OBJECTS, fieldSpecs } from './objects';
import { emptyReply, jsonReply, textReply, type Reply } from './render';
import type { View } from './store';
import { renderIsoOffset } from './time';
import { badRequest } from './v5-fields';
import { allowsSharedEmails, createNow, isValidEmail, latestOf, prospectsWithEmail, restoreNow, updateNow } from './writes';

/** Documented limits: 10 batches per import, batches under 10 MB; an Open import expires after 24 hours, a complete one 7 days after it completed. */
export const IMPORT_LIMITS = { batches: 10, batchBytes: 10_000_000, openLifetimeMs: 24 * 3_600_000, resultLifetimeMs: 7 * 24 * 3_600_000 };

/** The match columns of a v5 import row (at most one with a value per row). */
export const MATCH_COLUMNS = ['matchId', 'matchSalesforceId', 'matchEmail'];
/** Documented list columns the simulator does not model: a batch that has them answers HTTP 501. */
const UNSIMULATED_COLUMNS = ['addToList', 'removeFromList'];

/** The fields a GET of an import may ask for. */
const IMPORT_FIELDS = [
	'id',
	'operation',
	'object',
	'status',
	'isExpired',
	'batchesRef',
	'errorsRef',
	'createdCount',
	'updatedCount',
	'errorCount',
	'createdAt',
	'updatedAt',
	'createdById',
	'updatedById',
];

const CREATE_PROPERTIES = ['operation', 'object', 'restoreDeleted', 'createOnNoMatch', 'status', 'columns'];

// ----- the timeline -----

/** The instant row `index` (of `n`) is applied: spread evenly over processing, the last one at its end. */
function rowInstant(job: ImportJob, index: number): number {
	const span = job.completeAt! - job.processingAt!;
	return job.processingAt! + Math.floor(((index + 1) * span) / job.rows.length);
}

/** Complete once its end has come and every row is applied (settleImports applies them before each request). */
export function statusOf(job: ImportJob, now: number): ImportStatus {
	if (job.submittedAt === null) return 'Open';
	if (now < job.processingAt!) return 'Waiting';
	if (now < job.completeAt! || job.applied < job.rows.length) return 'Processing';
	return 'Complete';
}

export function isExpired(job: ImportJob, now: number): boolean {
	if (job.submittedAt === null) return now >= job.createdAt + IMPORT_LIMITS.openLifetimeMs;
	return statusOf(job, now) === 'Complete' && now >= job.completeAt! + IMPORT_LIMITS.resultLifetimeMs;
}

/**
 * Applies every row of every submitted import whose instant has come, oldest instant first (the
 * pipeline calls this before each request reaches its handler, and the control API before it reads or
 * writes records), and stamps the import's updatedAt as its status moves on.
 */
export function settleImports(sim: HandlerState): void {
	const now = sim.now();
	const due: Array<{ job: ImportJob; at: number }> = [];
	for (const job of sim.imports.pending()) {
		for (let i = job.applied; i < job.rows.length; i++) {
			const at = rowInstant(job, i);
			if (at > now) break;
			due.push({ job, at });
		}
	}
	due.sort((a, b) => a.at - b.at || a.job.id - b.job.id);
	for (const { job, at } of due) {
		applyRow(sim, job, job.rows[job.applied], at);
		job.applied++;
	}
	for (const job of sim.imports.byId.values()) {
		if (job.submittedAt === null) continue;
		const moved = [job.processingAt!, job.completeAt!].filter((t) => t <= now);
		if (moved.length > 0) job.updatedAt = Math.max(job.updatedAt, ...moved);
	}
}

// ----- one row -----

const prospectSpec = (v5Name: string) => fieldSpecs('prospect').find((s) => s.v5 === v5Name && OBJECTS.prospect.editable.includes(s.key));

/** A CSV value of a field: text as is, numbers parsed (a row error otherwise). */
function csvValue(v5Name: string, raw: string): unknown {
	const spec = prospectSpec(v5Name)!;
	if (spec.kind !== 'number') return raw;
	if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) throw new Error(`Invalid number for ${v5Name}: ${raw}`);
	return Number(raw);
}

function columnOption(job: ImportJob, field: string): ImportColumn {
	return job.columns?.find((c) => c.field === field) ?? { field, overwrite: true, nullOverwrite: true };
}

/**
 * The fields a row sets: every data column; on an update a column with overwrite false is left alone,
 * and an empty value clears the field unless nullOverwrite is false (documented for the v4 Import API:
 * "Field values in the CSV, including blank (null) values, overwrite existing values").
 */
function rowFields(job: ImportJob, header: string[], values: string[], update: boolean): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	header.forEach((name, i) => {
		if (MATCH_COLUMNS.includes(name)) return;
		const raw = values[i];
		const option = columnOption(job, name);
		const blank = raw.trim() === '';
		if (update && (!option.overwrite || (blank && !option.nullOverwrite))) return;
		// The email is required: a blank cell never clears it ("update requests that clear a required field are declined").
		if (blank && name === 'email') return;
		out[prospectSpec(name)!.key] = blank ? null : csvValue(name, raw);
	});
	return out;
}

/** The prospect a match names, or why the row fails; null: create one. */
function matchOf(sim: HandlerState, job: ImportJob, column: string | null, value: string): { target: View | null; restore: boolean } {
	if (column === null) return { target: null, restore: false };
	let candidates: View[];
	if (column === 'matchId') {
		if (!/^\d+$/.test(value.trim())) throw new Error(`matchId must be a prospect id: ${value}`);
		const found = sim.store.find('prospect', Number(value));
		candidates = found ? [found] : [];
	} else if (column === 'matchEmail') {
		if (!isValidEmail(value.trim())) throw new Error(`Invalid prospect email address: ${value}`);
		candidates = prospectsWithEmail(sim, value, 'all');
	} else {
		candidates = sim.store.latest('prospect').filter((v) => v.fields.salesforceLeadId === value || v.fields.salesforceContactId === value);
	}
	const live = candidates.filter((v) => !v.deleted);
	if (live.length > 0) return { target: latestOf(live, sim.config.v5UpsertMatch)!, restore: false };
	if (candidates.length > 0) {
		if (!job.restoreDeleted) throw new Error('The matching prospect is in the recycle bin (restoreDeleted is false)');
		return { target: latestOf(candidates, sim.config.v5UpsertMatch)!, restore: true };
	}
	if (!job.createOnNoMatch) throw new Error(`No prospect matches ${column} ${value} (createOnNoMatch is false)`);
	return { target: null, restore: false };
}

/** One row at its instant: a create, an update, or an error the errors file lists. */
function applyRow(sim: HandlerState, job: ImportJob, values: string[], at: number): void {
	const header = job.header!;
	try {
		const matches = MATCH_COLUMNS.filter((c) => header.includes(c) && values[header.indexOf(c)].trim() !== '');
		if (matches.length > 1) throw new Error(`Only one match column may have a value (got ${matches.join(', ')})`);
		const column = matches[0] ?? null;
		const { target, restore } = matchOf(sim, job, column, column ? values[header.indexOf(column)] : '');
		const fields = rowFields(job, header, values, target !== null);
		const email = fields.email;
		if (email !== undefined && !isValidEmail(email)) throw new Error(`Invalid prospect email address: ${String(email)}`);
		const shared = allowsSharedEmails(sim.config);
		if (target) {
			if (typeof email === 'string' && !shared && prospectsWithEmail(sim, email, 'live').some((v) => v.id !== target.id)) {
				throw new Error('Email address is already in use');
			}
			if (restore) restoreNow(sim, 'prospect', target.id, at);
			updateNow(sim, 'prospect', target.id, fields, at);
			job.updatedCount++;
			return;
		}
		const address = (email as string | undefined) ?? (column === 'matchEmail' ? values[header.indexOf('matchEmail')].trim() : undefined);
		if (!isValidEmail(address)) throw new Error('A new prospect needs a valid email address (an email column, or matchEmail)');
		if (!shared && prospectsWithEmail(sim, address, 'live').length > 0) throw new Error('A prospect with the specified email address already exists');
		createNow(sim, 'prospect', { ...fields, email: address }, at);
		job.createdCount++;
	} catch (error) {
		job.errors.push({ values, message: (error as Error).message });
	}
}

// ----- requests -----

const methodNotAllowed = () => new PardotError(60, 405, 'Invalid HTTP request method');

function pathId(ctx: RequestContext): number {
	return Number(/^\/api\/v5\/imports\/(\d+)/.exec(ctx.url.pathname)![1]);
}

function jobOf(sim: HandlerState, ctx: RequestContext): ImportJob {
	const id = pathId(ctx);
	const job = sim.imports.byId.get(id);
	if (!job) throw new PardotError(192, 404, `Object specified does not exist: no import with id ${id}`);
	return job;
}

function begin(sim: HandlerState, ctx: RequestContext, method: string): void {
	if (ctx.method !== method) throw methodNotAllowed();
	authenticateV5(sim, ctx);
	sim.chargeApiCall();
}

/** An import as v5 shows it: the fields asked for. Counts and errorsRef once Complete; batchesRef while Open. */
function representation(sim: HandlerState, ctx: RequestContext, job: ImportJob, fields: string[]): Record<string, unknown> {
	const now = sim.now();
	const status = statusOf(job, now);
	const expired = isExpired(job, now);
	const complete = status === 'Complete';
	const base = `${ctx.origin}/api/v5/imports/${job.id}`;
	const values: Record<string, unknown> = {
		id: job.id,
		operation: job.operation,
		object: job.object,
		status,
		isExpired: expired,
		batchesRef: status === 'Open' && !expired ? `${base}/batches` : null,
		errorsRef: complete && !expired && job.errors.length > 0 ? `${base}/errors` : null,
		createdCount: complete ? job.createdCount : null,
		updatedCount: complete ? job.updatedCount : null,
		errorCount: complete ? job.errors.length : null,
		createdAt: renderIsoOffset(job.createdAt, sim.zone),
		updatedAt: renderIsoOffset(job.updatedAt, sim.zone),
		createdById: null,
		updatedById: null,
	};
	const out: Record<string, unknown> = {};
	for (const name of fields) out[name] = values[name];
	return out;
}

/** The answer of a create or an update: the `fields` asked for, else id, status, isExpired and, while Open, batchesRef. */
function answerFields(ctx: RequestContext, job: ImportJob, sim: HandlerState): string[] {
	const raw = ctx.query.get('fields');
	if (raw !== null && raw.trim() !== '') return checkImportFields(raw);
	return statusOf(job, sim.now()) === 'Open' ? ['id', 'status', 'isExpired', 'batchesRef'] : ['id', 'status', 'isExpired'];
}

function checkImportFields(raw: string): string[] {
	const names = raw.split(',').map((s) => s.trim());
	for (const name of names) if (!IMPORT_FIELDS.includes(name)) throw badRequest(`Invalid field name in fields: ${name || '(empty)'}`);
	return names;
}

function checkQuery(ctx: RequestContext, allowed: string[]): void {
	for (const name of ctx.query.keys()) if (!allowed.includes(name)) throw badRequest(`Unknown parameter: ${name}`);
}

/** The create input: operation Upsert and object Prospect required (153, 154), the options typed (154, 165). */
function createInput(input: Record<string, unknown>): Pick<ImportJob, 'restoreDeleted' | 'createOnNoMatch' | 'columns'> & { ready: boolean } {
	for (const name of Object.keys(input)) {
		if (!CREATE_PROPERTIES.includes(name)) throw new PardotError(154, 400, `Invalid property in request: ${name}`);
	}
	for (const [name, wanted] of [
		['operation', 'Upsert'],
		['object', 'Prospect'],
	]) {
		if (input[name] === undefined || input[name] === null) throw new PardotError(153, 400, `Missing required property in request: ${name}`);
		if (input[name] !== wanted) throw new PardotError(154, 400, `Invalid property in request: ${name} must be "${wanted}" (the only one supported)`);
	}
	for (const name of ['restoreDeleted', 'createOnNoMatch']) {
		if (input[name] !== undefined && typeof input[name] !== 'boolean') throw new PardotError(154, 400, `Invalid property in request: ${name} must be true or false`);
	}
	if (input.status !== undefined && input.status !== 'Ready') throw new PardotError(154, 400, 'Invalid property in request: status may only be "Ready"');
	let columns: ImportColumn[] | null = null;
	if (input.columns !== undefined) {
		const bad = () => new PardotError(165, 400, 'column options is invalid: a list of { field, overwrite?, nullOverwrite? }');
		if (!Array.isArray(input.columns)) throw bad();
		columns = input.columns.map((c: unknown) => {
			const column = c as Record<string, unknown>;
			if (!column || typeof column.field !== 'string') throw bad();
			for (const flag of ['overwrite', 'nullOverwrite']) if (column[flag] !== undefined && typeof column[flag] !== 'boolean') throw bad();
			return { field: column.field, overwrite: column.overwrite !== false, nullOverwrite: column.nullOverwrite !== false };
		});
	}
	return {
		restoreDeleted: input.restoreDeleted === true,
		// Rows that match nothing create a prospect unless createOnNoMatch is false (v4: "A new prospect is created when a matching prospect isn't found").
		createOnNoMatch: input.createOnNoMatch !== false,
		columns,
		ready: input.status === 'Ready',
	};
}

/**
 * A CSV batch added to an Open import: a header and at least one row, every row as wide as the header
 * (159); columns v5 prospect fields a write may set, or one of the match columns (130); the same
 * header as the first batch (130) and as the column options (226); at most 10 batches (160) under
 * 10 MB (204). addToList / removeFromList are documented but not simulated (HTTP 501).
 */
function addBatch(sim: HandlerState, job: ImportJob, csv: string): Reply | null {
	if (Buffer.byteLength(csv, 'utf8') >= IMPORT_LIMITS.batchBytes) throw new PardotError(204, 400, 'File size exceeds the max post size');
	if (job.batches >= IMPORT_LIMITS.batches) throw new PardotError(160);
	const rows = parseCsv(csv);
	if (!rows || rows.length < 2 || rows.some((r) => r.length !== rows[0].length)) {
		throw new PardotError(159, 400, 'The file is not in a valid CSV format: one header row, at least one data row, every row as wide as the header');
	}
	const header = rows[0].map((h) => h.trim());
	const unsimulated = header.filter((h) => UNSIMULATED_COLUMNS.includes(h));
	if (unsimulated.length > 0) {
		return textReply(501, `The Pardot simulator does not model the import columns ${unsimulated.join(', ')} (list memberships).\n`);
	}
	const unknown = header.filter((h) => !MATCH_COLUMNS.includes(h) && !prospectSpec(h));
	if (unknown.length > 0 || new Set(header).size !== header.length) {
		const what = unknown.length > 0 ? `not fields a write may set: ${unknown.join(', ')}` : 'a column appears twice';
		throw new PardotError(130, 400, `One or more of the specified fields are invalid: ${what}`);
	}
	if (job.header && job.header.join(',') !== header.join(',')) {
		throw new PardotError(130, 400, 'One or more of the specified fields are invalid: every batch must have the same header, in the same order');
	}
	if (job.columns && (job.columns.length !== header.length || job.columns.some((c) => !header.includes(c.field)))) {
		throw new PardotError(226, 400, 'Mismatched CSV headers and column options');
	}
	job.header = header;
	job.rows.push(...rows.slice(1));
	job.batches++;
	job.updatedAt = sim.now();
	return null;
}

/** The answer to a submit says Waiting (documented for v4), whatever the processing time. */
function submittedAnswer(answer: Record<string, unknown>, submitted: boolean): Record<string, unknown> {
	return submitted && 'status' in answer ? { ...answer, status: 'Waiting' } : answer;
}

/** Submits an import: Waiting now, Processing after importWaitMs, Complete importProcessingMs later. */
function submit(sim: HandlerState, job: ImportJob): void {
	const now = sim.now();
	job.submittedAt = now;
	job.processingAt = now + sim.config.importWaitMs;
	job.completeAt = job.processingAt + sim.config.importProcessingMs;
	job.updatedAt = now;
}

function fileParts(ctx: RequestContext): { input: string | null; files: string[] } {
	const parts = multipartParts(String(ctx.headers['content-type'] ?? ''), ctx.body);
	return {
		input: parts.find((p) => p.name === 'input')?.content ?? null,
		files: parts.filter((p) => p.name === 'file').map((p) => p.content),
	};
}

/** `POST /api/v5/imports`: JSON input, or multipart with parts `input` (JSON) and `file` (CSV). 201 with Location. */
export function importCreate(sim: HandlerState, ctx: RequestContext): Reply {
	begin(sim, ctx, 'POST');
	checkQuery(ctx, ['fields']);
	const contentType = String(ctx.headers['content-type'] ?? '');
	let inputText: string;
	let files: string[] = [];
	if (isMultipart(contentType)) {
		const parts = fileParts(ctx);
		if (parts.input === null) throw new PardotError(166, 400, 'The input is not in the required format: a multipart create needs an "input" part');
		inputText = parts.input;
		files = parts.files;
		if (files.length > 1) throw new PardotError(163);
	} else inputText = ctx.body;
	const input = createInput(jsonObject(isMultipart(contentType) ? 'application/json' : contentType, inputText));
	if (input.ready && files.length === 0) throw new PardotError(156);
	const now = sim.now();
	const job = sim.imports.add({
		operation: 'Upsert',
		object: 'Prospect',
		restoreDeleted: input.restoreDeleted,
		createOnNoMatch: input.createOnNoMatch,
		columns: input.columns,
		header: null,
		rows: [],
		batches: 0,
		createdAt: now,
		updatedAt: now,
		submittedAt: null,
		processingAt: null,
		completeAt: null,
		applied: 0,
		createdCount: 0,
		updatedCount: 0,
		errors: [],
	});
	try {
		if (files.length === 1) {
			const unsimulated = addBatch(sim, job, files[0]);
			if (unsimulated) {
				sim.imports.byId.delete(job.id);
				return unsimulated;
			}
		}
	} catch (error) {
		sim.imports.byId.delete(job.id);
		throw error;
	}
	if (input.ready) submit(sim, job);
	const fields = answerFields(ctx, job, sim);
	return jsonReply(201, submittedAnswer(representation(sim, ctx, job, fields), input.ready), { Location: `${ctx.origin}/api/v5/imports/${job.id}` });
}

/** `POST /api/v5/imports/<id>/batches` (multipart part `file`): 204. Not Open or expired: 161; no file 162, two 163. */
export function importBatch(sim: HandlerState, ctx: RequestContext): Reply {
	begin(sim, ctx, 'POST');
	checkQuery(ctx, []);
	const job = jobOf(sim, ctx);
	const contentType = String(ctx.headers['content-type'] ?? '');
	if (!isMultipart(contentType)) throw new PardotError(151, 400, `Unsupported content-type: ${contentType || '(none)'}; send multipart/form-data with a "file" part`);
	const { files } = fileParts(ctx);
	if (files.length === 0) throw new PardotError(162);
	if (files.length > 1) throw new PardotError(163);
	if (statusOf(job, sim.now()) !== 'Open' || isExpired(job, sim.now())) throw new PardotError(161);
	return addBatch(sim, job, files[0]) ?? emptyReply(204);
}

/** `PATCH /api/v5/imports/<id>` with `{"status":"Ready"}`: submits it (200, status Waiting). Not Open: 155; no batch: 156. */
export function importUpdate(sim: HandlerState, ctx: RequestContext): Reply {
	begin(sim, ctx, 'PATCH');
	checkQuery(ctx, ['fields']);
	const job = jobOf(sim, ctx);
	const input = jsonObject(String(ctx.headers['content-type'] ?? ''), ctx.body);
	for (const name of Object.keys(input)) if (name !== 'status') throw new PardotError(154, 400, `Invalid property in request: ${name}`);
	if (input.status === undefined) throw new PardotError(153, 400, 'Missing required property in request: status');
	if (input.status !== 'Ready') throw new PardotError(154, 400, 'Invalid property in request: status may only be "Ready"');
	if (statusOf(job, sim.now()) !== 'Open' || isExpired(job, sim.now())) throw new PardotError(155);
	if (job.rows.length === 0) throw new PardotError(156);
	submit(sim, job);
	return jsonReply(200, submittedAnswer(representation(sim, ctx, job, answerFields(ctx, job, sim)), true));
}

/** `GET /api/v5/imports/<id>?fields=...` (required, as every v5 read). */
export function importRead(sim: HandlerState, ctx: RequestContext): Reply {
	begin(sim, ctx, 'GET');
	checkQuery(ctx, ['fields']);
	const raw = ctx.query.get('fields');
	if (raw === null || raw.trim() === '') throw badRequest('The fields parameter is required', 13);
	const fields = checkImportFields(raw);
	return jsonReply(200, representation(sim, ctx, jobOf(sim, ctx), fields));
}

/** `GET /api/v5/imports/<id>/errors`: the failed rows, CSV (the header, then an `error` column); Complete and not expired only (161). */
export function importErrors(sim: HandlerState, ctx: RequestContext): Reply {
	begin(sim, ctx, 'GET');
	checkQuery(ctx, []);
	const job = jobOf(sim, ctx);
	if (statusOf(job, sim.now()) !== 'Complete' || isExpired(job, sim.now())) throw new PardotError(161);
	const lines = [[...job.header!, 'error'].map(csvField).join(',')];
	for (const failed of job.errors) lines.push([...failed.values, failed.message].map(csvField).join(','));
	return textReply(200, `${lines.join('\r\n')}\r\n`, 'text/csv; charset=utf-8');
}

/** `GET /api/v5/imports` (the list of imports) is documented but not simulated: HTTP 501. */
export function importQuery(_sim: HandlerState, ctx: RequestContext): Reply {
	if (ctx.method !== 'GET') throw methodNotAllowed();
	return textReply(501, 'The Pardot simulator does not model the query of imports (GET /api/v5/imports); read each import by id.\n');
}
