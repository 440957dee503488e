import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';
import { randomBytes } from 'node:crypto';

import type { ActionOptions, PardotApi } from '../../api/client';
import { csvLine, parseCsv } from '../../api/csv';
import { itemError, nodeError } from '../../api/errors';
import { writeFields } from '../../api/fields';
import { emailOf } from '../../api/prospects';
import type { BatchOperation } from '../../actions/types';

/**
 * Prospect → Import: every input item becomes one CSV row of a Pardot v5 import (operation Upsert, matched by
 * email), so 10,000 upserts cost a handful of calls: create the import, upload the rows in batches, submit it,
 * look at its status until it is Complete, and read the errors file if rows failed. Each input item gets one
 * output item: the row imported, or the error Pardot gave for it. A blank cell leaves a field alone.
 */

/** Pardot: at most 10 batches per import, each under 10 MB (the node stays well below). */
const MAX_BATCHES = 10;
const MAX_BATCH_BYTES = 9 * 1024 * 1024;
const STATUS_FIELDS = 'id,status,isExpired,createdCount,updatedCount,errorCount,errorsRef';

interface Row {
	item: number;
	email: string;
	fields: IDataObject;
}

export const importProspects: BatchOperation = {
	unavailable: (api) =>
		api.family === 'v5'
			? undefined
			: {
					message: 'Import needs Pardot API v5',
					description:
						'Pardot\'s Import API is part of API v5. Use the Pardot OAuth2 credential with API version 5, or Upsert by Email (one request per item) with this credential. Nothing was sent.',
				},
	async batch(ctx, api, items, options) {
		const out: INodeExecutionData[] = new Array(items.length);
		const rows: Row[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const email = emailOf(ctx, i);
				const fields = writeFields(ctx.getNodeParameter('additionalFields', i, {}) as IDataObject, ctx.getNodeParameter('customFields', i, {}) as IDataObject);
				rows.push({ item: i, email, fields });
			} catch (error) {
				if (!ctx.continueOnFail()) throw nodeError(ctx.getNode(), error);
				out[i] = { json: { error: (error as Error).message }, pairedItem: { item: i } };
			}
		}
		const settings = ctx.getNodeParameter('importOptions', 0, {}) as IDataObject;
		const batchRows = Math.max(1, Number(settings.batchRows ?? 5000));
		const timeoutMs = options.importTimeoutMs ?? Number(settings.timeoutMinutes ?? 60) * 60_000;
		const header = ['matchEmail', 'email', ...new Set(rows.flatMap((r) => Object.keys(r.fields).filter((f) => f !== 'email')))];
		for (const job of jobs(rows, header, batchRows)) {
			const results = await runImport(ctx, api, header, job, { ...options, restoreDeleted: settings.restoreDeleted !== false, timeoutMs });
			job.rows.forEach((row, n) => (out[row.item] = { json: results[n], pairedItem: { item: row.item } }));
		}
		return out;
	},
};

interface Job {
	rows: Row[];
	/** The CSV files, each with the header. */
	batches: string[];
}

/** Rows in CSV files of at most batchRows rows and MAX_BATCH_BYTES, at most MAX_BATCHES files per import. */
function jobs(rows: Row[], header: string[], batchRows: number): Job[] {
	const out: Job[] = [];
	const head = csvLine(header);
	let job: Job | undefined;
	let lines: string[] = [];
	let bytes = 0;
	let batchStart = 0;
	const flush = () => {
		if (!job || lines.length === 0) return;
		job.batches.push(`${head}\r\n${lines.join('\r\n')}\r\n`);
		lines = [];
		bytes = 0;
	};
	rows.forEach((row, n) => {
		const line = csvLine(header.map((h) => (h === 'matchEmail' || h === 'email' ? row.email : row.fields[h])));
		const size = Buffer.byteLength(line, 'utf8') + 2;
		if (job && lines.length > 0 && (n - batchStart >= batchRows || bytes + size > MAX_BATCH_BYTES)) {
			flush();
			batchStart = n;
			if (job.batches.length >= MAX_BATCHES) job = undefined;
		}
		if (!job) {
			job = { rows: [], batches: [] };
			out.push(job);
			batchStart = n;
		}
		job.rows.push(row);
		lines.push(line);
		bytes += size;
	});
	flush();
	return out;
}

function multipart(csv: string): { text: string; contentType: string } {
	const boundary = `n8n-pardot-${randomBytes(12).toString('hex')}`;
	const text = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="prospects.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
	return { text, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** One import: each row's output json, in the job's row order. */
async function runImport(
	ctx: IExecuteFunctions,
	api: PardotApi,
	header: string[],
	job: Job,
	options: ActionOptions & { restoreDeleted: boolean; timeoutMs: number },
): Promise<IDataObject[]> {
	const first = job.rows[0].item;
	const fail = (error: unknown) => itemError(ctx.getNode(), first, error, { what: 'the import' });
	let importId: string;
	try {
		const input = {
			operation: 'Upsert',
			object: 'Prospect',
			restoreDeleted: options.restoreDeleted,
			columns: header.map((field) => ({ field, overwrite: true, nullOverwrite: false })),
		};
		// A repeated create only leaves an empty import behind, which Pardot expires after 24 hours.
		importId = String((await api.request({ method: 'POST', path: '/api/v5/imports', query: { fields: 'id,status' }, body: { json: input } })).body.id);
		// A repeated upload could put rows in twice: a batch whose answer was lost fails, and the import is never submitted.
		for (const csv of job.batches) await api.request({ method: 'POST', path: `/api/v5/imports/${importId}/batches`, body: multipart(csv), idempotent: false });
		await api.request({ method: 'PATCH', path: `/api/v5/imports/${importId}`, body: { json: { status: 'Ready' } } });
	} catch (error) {
		const failed = fail(error);
		if (!ctx.continueOnFail()) throw failed;
		return job.rows.map(() => ({ error: failed.message, description: (failed as { description?: string }).description ?? '' }));
	}
	const status = await waitForImport(ctx, api, importId, options, first);
	const errors = Number(status.errorCount ?? 0) > 0 ? await errorRows(api, importId) : [];
	return job.rows.map((row) => {
		const error = takeError(errors, row.email);
		const base: IDataObject = { email: row.email, importId: Number(importId) };
		return error === undefined ? { ...base, imported: true } : { ...base, imported: false, error: `Pardot could not import this row: ${error}` };
	});
}

async function waitForImport(ctx: IExecuteFunctions, api: PardotApi, id: string, options: ActionOptions & { timeoutMs: number }, item: number): Promise<IDataObject> {
	const started = Date.now();
	let wait = options.importPollMs ?? 2000;
	for (;;) {
		const { body } = await api.request({ path: `/api/v5/imports/${id}`, query: { fields: STATUS_FIELDS } });
		if (body.status === 'Complete') return body;
		if (body.isExpired === true) {
			throw new NodeOperationError(ctx.getNode(), `Pardot import ${id} expired before it completed`, { itemIndex: item, description: 'Run the items again.' });
		}
		if (Date.now() - started + wait > options.timeoutMs) {
			throw new NodeOperationError(ctx.getNode(), `Pardot had not finished import ${id} after ${Math.round(options.timeoutMs / 60_000)} minutes (status ${String(body.status)})`, {
				itemIndex: item,
				description: `The import goes on in Pardot: do not run these items again before it is done. Its status: GET /api/v5/imports/${id}. Raise Import Options → Timeout for large imports.`,
			});
		}
		await sleep(wait);
		wait = Math.min(wait * 2, options.importPollMaxMs ?? 30_000);
	}
}

/** The failed rows of the errors file: the row's email and Pardot's message. */
async function errorRows(api: PardotApi, id: string): Promise<Array<{ email: string; error: string }>> {
	const { text } = await api.request({ path: `/api/v5/imports/${id}/errors`, answer: 'text' });
	const [head, ...rows] = parseCsv(text ?? '').filter((r) => r.length > 1 || r[0] !== '');
	if (!head) return [];
	const emailAt = head.indexOf('matchEmail');
	const errorAt = head.indexOf('error');
	return rows.map((r) => ({ email: (r[emailAt] ?? '').trim().toLowerCase(), error: r[errorAt] ?? 'no reason given' }));
}

/** The error of the next failed row with this email (each failed row is given to one item). */
function takeError(errors: Array<{ email: string; error: string }>, email: string): string | undefined {
	const at = errors.findIndex((e) => e.email === email.toLowerCase());
	if (at < 0) return undefined;
	return errors.splice(at, 1)[0].error;
}
