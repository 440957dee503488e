/** Response bodies: Pardot's v3/v4 JSON/XML envelopes and the v5 error shape. */

export interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string;
}

export type LegacyFormat = 'json' | 'xml';

const JSON_TYPE = 'application/json; charset=utf-8';
const XML_TYPE = 'text/xml; charset=utf-8';

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
	return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

/** HTTP 204 (or another status) with an empty body: v3/v4 and v5 deletes, v5 updates that asked for no fields. */
export function emptyReply(status = 204, headers: Record<string, string> = {}): Reply {
	return { status, headers, body: '' };
}

export function textReply(status: number, body: string, contentType = 'text/plain; charset=utf-8'): Reply {
	return { status, headers: { 'Content-Type': contentType }, body };
}

function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmlNode(name: string, value: unknown): string {
	if (Array.isArray(value)) return value.map((item) => xmlNode(name, item)).join('');
	if (value === null || value === undefined) return `<${name}/>`;
	if (typeof value === 'object') return `<${name}>${xmlContent(value as Record<string, unknown>)}</${name}>`;
	return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function xmlContent(obj: Record<string, unknown>): string {
	return Object.entries(obj)
		.map(([k, v]) => xmlNode(k, v))
		.join('');
}

/** Pardot's JSON is its XML converted: attributes under "@attributes", version 1. */
export function legacyOk(format: LegacyFormat, content: Record<string, unknown>, status = 200): Reply {
	if (format === 'json') return jsonReply(status, { '@attributes': { stat: 'ok', version: 1 }, ...content });
	return textReply(
		status,
		`<?xml version="1.0" encoding="UTF-8"?>\n<rsp stat="ok" version="1.0">${xmlContent(content)}</rsp>\n`,
		XML_TYPE,
	);
}

export function legacyFail(format: LegacyFormat, code: number, message: string, status = 200): Reply {
	if (format === 'json') {
		return jsonReply(status, { '@attributes': { stat: 'fail', version: 1, err_code: code }, err: message });
	}
	return textReply(
		status,
		`<?xml version="1.0" encoding="UTF-8"?>\n<rsp stat="fail" version="1.0">\n   <err code="${code}">${escapeXml(message)}</err>\n</rsp>\n`,
		XML_TYPE,
	);
}

export function v5Fail(code: number, message: string, status = 400, headers: Record<string, string> = {}): Reply {
	return jsonReply(status, { code, message }, headers);
}

export function htmlErrorPage(status: number, title: string): Reply {
	return textReply(
		status,
		`<!DOCTYPE html>\n<html><head><title>${status} ${escapeXml(title)}</title></head>` +
			`<body><h1>${escapeXml(title)}</h1><p>The server is temporarily unable to service your request. Please try again later.</p>` +
			`<hr><address>Apache Server at pi.pardot.com Port 443</address></body></html>\n`,
		'text/html; charset=utf-8',
	);
}
