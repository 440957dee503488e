/** Reading an answer body up to a size (body.ts): what both nodes keep of an answer, and what they never download. */
import { Readable } from 'node:stream';

import { discardBody, readBody } from '../../../nodes/common/body';

test('a body within the size is read whole, whatever form n8n hands it in', async () => {
	expect(await readBody(Readable.from([Buffer.from('{"a":'), '1}']), 100)).toEqual({ text: '{"a":1}', bytes: 7, cut: false });
	expect(await readBody('plain', 100)).toEqual({ text: 'plain', bytes: 5, cut: false });
	expect(await readBody(Buffer.from('bytes'), 100)).toEqual({ text: 'bytes', bytes: 5, cut: false });
	expect(await readBody({ parsed: true }, 100)).toEqual({ text: '{"parsed":true}', bytes: 15, cut: false });
	expect(await readBody(undefined, 100)).toEqual({ text: '', bytes: 0, cut: false });
});

test('a longer stream stops at the size and is destroyed: the rest is never read', async () => {
	let pulled = 0;
	const stream = Readable.from(
		(function* () {
			for (let i = 0; i < 1000; i++) {
				pulled++;
				yield Buffer.alloc(10, 'x');
			}
		})(),
	);
	const read = await readBody(stream, 25);
	expect(read.text).toBe('x'.repeat(25));
	expect(read.cut).toBe(true);
	expect(stream.destroyed).toBe(true);
	expect(pulled).toBeLessThan(1000);
});

test('a stream that breaks off gives what came before, and why', async () => {
	const failing = Readable.from(
		(async function* () {
			yield 'partial ';
			throw new Error('socket hang up');
		})(),
	);
	const read = await readBody(failing, 100);
	expect(read.text).toBe('partial ');
	expect(read.cut).toBe(false);
	expect((read.broken as Error).message).toBe('socket hang up');
});

test('a body that will not be read is closed', () => {
	const stream = Readable.from(['unread']);
	discardBody(stream);
	expect(stream.destroyed).toBe(true);
	expect(() => discardBody('text')).not.toThrow();
});
