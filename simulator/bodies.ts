/**
 * Request bodies the write endpoints read: a v5 JSON object, a multipart/form-data upload (the Import
 * API's `input` and `file` parts) and CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF).
 * Pardot's codes for a body it cannot read: 150 (not JSON), 151 (content type), 152 (empty).
 */
import { PardotError } from './errors';

const mediaType = (contentType: string) => contentType.split(';')[0].trim().toLowerCase();

/** The JSON object of a v5 write (400: 151 not `application/json`, 152 empty, 150 not a JSON object). */
export function jsonObject(contentType: string, body: string): Record<string, unknown> {
	if (body.trim() === '') throw new PardotError(152, 400, "Request body can't be empty");
	if (mediaType(contentType) !== 'application/json') {
		throw new PardotError(151, 400, `Unsupported content-type: ${contentType || '(none)'}; send application/json`);
	}
	let value: unknown;
	try {
		value = JSON.parse(body);
	} catch {
		throw new PardotError(150, 400, 'Input needs to be valid JSON');
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw new PardotError(150, 400, 'Input needs to be valid JSON: an object');
	}
	return value as Record<string, unknown>;
}

export interface Part {
	name: string;
	filename: string | null;
	contentType: string;
	content: string;
}

/** Whether a request is multipart/form-data. */
export function isMultipart(contentType: string): boolean {
	return mediaType(contentType) === 'multipart/form-data';
}

/** The parts of a multipart/form-data body (text parts; CSV and JSON are text). Throws 166 when it cannot be read. */
export function multipartParts(contentType: string, body: string): Part[] {
	const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	if (!boundary) throw new PardotError(166, 400, 'The input is not in the required format: multipart body without a boundary');
	const delimiter = `--${boundary[1] ?? boundary[2]}`;
	const parts: Part[] = [];
	for (const chunk of body.split(delimiter).slice(1)) {
		if (chunk.startsWith('--')) break;
		const text = chunk.replace(/^\r?\n/, '');
		const split = /\r?\n\r?\n/.exec(text);
		if (!split) continue;
		const head = text.slice(0, split.index);
		const content = text.slice(split.index + split[0].length).replace(/\r?\n$/, '');
		const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
		const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
		if (name === undefined) continue;
		parts.push({
			name,
			filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null,
			contentType: /content-type:\s*([^\r\n]*)/i.exec(head)?.[1]?.trim() ?? 'text/plain',
			content,
		});
	}
	return parts;
}

/** CSV rows (RFC 4180). Null when the text is not CSV (an unclosed quote, text after a closing quote). */
export function parseCsv(text: string): string[][] | null {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	let afterQuote = false;
	const endField = () => {
		row.push(field);
		field = '';
		afterQuote = false;
	};
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') {
				quoted = false;
				afterQuote = true;
			} else field += c;
			continue;
		}
		if (c === '"' && field === '' && !afterQuote) quoted = true;
		else if (c === ',') endField();
		else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			endField();
			rows.push(row);
			row = [];
		} else if (afterQuote) return null;
		else field += c;
	}
	if (quoted) return null;
	if (field !== '' || row.length > 0 || afterQuote) {
		endField();
		rows.push(row);
	}
	// Blank lines carry no record.
	return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Text for one CSV field: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: unknown): string {
	const text = value === null || value === undefined ? '' : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
