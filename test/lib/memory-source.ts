/**
 * A ChangeSource over records held in memory: what the trigger's read steps see of Pardot, without
 * HTTP, for unit tests of read.ts. It keeps the interface's contract (nodes/PardotTrigger/
 * transport/source.ts) to the letter and no API's quirks: scans page by id, `window` answers like
 * the v3/v4 adapter (the records before the (k+1)-th change's second, or a burst), and every call
 * is logged so a test can say which reads a step made.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RecycleBin } from '../../nodes/PardotTrigger/transport/objects';

import type { ChangeRecord, RecordScope, Stream } from '../../nodes/PardotTrigger/model';
import { compareIds } from '../../nodes/PardotTrigger/model';
import type { ChangeSource, CreatedRequest, ScanPage, ScanRequest, WindowRead } from '../../nodes/PardotTrigger/transport/source';

export const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
export const SECOND = 1000;

/** A record changed `second` seconds after T0 (created then too unless `created` says otherwise). */
export function change(id: number, second: number, extra: { created?: number; deleted?: boolean; raw?: IDataObject } = {}): ChangeRecord {
	const updatedAt = T0 + second * SECOND;
	return {
		id: String(id),
		createdAt: extra.created === undefined ? updatedAt : T0 + extra.created * SECOND,
		updatedAt,
		updatedAtMin: updatedAt,
		updatedAtMax: updatedAt,
		deleted: extra.deleted === true,
		raw: extra.raw ?? { id },
	};
}

export interface MemorySourceOptions {
	pageSize?: number;
	settleMs?: number;
	/** How far behind the clock changes are emitted (default: settleMs, settled changes only). */
	visibleMs?: number;
	/** Pardot's clock (what each answer reports); undefined: no Date header. */
	clock?: number;
	/** Whether a window of the oldest changes can be read (filter and sort by change time). Default true. */
	bounded?: boolean;
	/** One query for live records and the bin (scope 'both'), as v5. Default false. */
	bothAtOnce?: boolean;
	/** Scans report how many records they match (v3/v4 total_results). Default false. */
	reportsTotal?: boolean;
	/** The bin scan answers with the live records (the API ignored `deleted`). */
	ignoresBin?: boolean;
	/** The bin scan fails with Pardot error 5 (the API refused `deleted`). */
	refusesBin?: boolean;
	/** How many records left out a read may pass before it stops (ChangeSource.maxDroppedPerRead). Default 20,000. */
	maxDroppedPerRead?: number;
	/** Every scan page says it read and left out this many records besides its own (v5 Activity Types). */
	droppedPerPage?: number;
	/** Added to every window answer (what a v5 window reports: `capped`, `burstAt`). */
	windowExtra?: Partial<WindowRead>;
	/** A scan with `before` returns the records of that second too (a v3/v4 `updated_before` that is inclusive). */
	inclusiveBefore?: boolean;
	/** Called after each window answer, before the next call (writes that land between two queries). */
	afterWindow?: (records: ChangeRecord[]) => void;
}

const inScope = (record: ChangeRecord, scope: RecordScope) => scope === 'both' || record.deleted === (scope === 'bin');

export class MemorySource implements ChangeSource {
	readonly pageSize: number;

	readonly settleMs: number;
	readonly visibleMs: number;

	readonly bothAtOnce: boolean;
	readonly localTimes = false;
	readonly maxDroppedPerRead: number;
	readonly windowsInsideSecond = false;

	/** Every call, e.g. `scan scope=live from=+0s after=- size=200`. */
	readonly calls: string[] = [];

	/**
	 * The pages a scan's `readAhead` asked for before the caller wanted them (as pagesById does: the
	 * next page is then requested while this one is parsed), e.g. `live after=4`: the page after id 4.
	 */
	readonly aheads: string[] = [];

	constructor(
		readonly records: ChangeRecord[],
		private readonly options: MemorySourceOptions = {},
	) {
		this.pageSize = options.pageSize ?? 200;
		this.settleMs = options.settleMs ?? 5000;
		this.visibleMs = options.visibleMs ?? this.settleMs;
		this.bothAtOnce = options.bothAtOnce ?? false;
		this.maxDroppedPerRead = options.maxDroppedPerRead ?? 20_000;
	}

	canBound(): boolean {
		return this.options.bounded ?? true;
	}

	recycleBin(): RecycleBin {
		return 'documented';
	}

	private matching(scope: RecordScope): ChangeRecord[] {
		if (scope === 'bin' && this.options.refusesBin) {
			throw Object.assign(new Error('Pardot error 5'), { pardotErrorCode: 5 });
		}
		if (scope === 'bin' && this.options.ignoresBin) return this.records.filter((r) => !r.deleted).map((r) => ({ ...r, deleted: true }));
		return this.records.filter((r) => inScope(r, scope));
	}

	async *scan(request: ScanRequest): AsyncIterable<ScanPage> {
		const size = Math.min(this.pageSize, request.pageSize ?? this.pageSize);
		this.calls.push(
			`scan scope=${request.scope} from=+${(request.from - T0) / SECOND}s${request.before === undefined ? '' : ` before=+${(request.before - T0) / SECOND}s`} after=${request.afterId ?? '-'} size=${size}`,
		);
		const all = this.matching(request.scope)
			.filter((r) => r.updatedAt >= request.from && (request.before === undefined || r.updatedAt < request.before + (this.options.inclusiveBefore ? SECOND : 0)))
			.sort((a, b) => compareIds(a.id, b.id));
		let rest = request.afterId === undefined ? all : all.filter((r) => compareIds(r.id, request.afterId!) > 0);
		const total = this.options.reportsTotal ? rest.length : undefined;
		let read = 0;
		for (;;) {
			const records = rest.slice(0, size);
			rest = rest.slice(size);
			const more = rest.length > 0;
			read += records.length;
			if (more && request.readAhead?.(read, total)) this.aheads.push(`${request.scope} after=${records[records.length - 1].id}`);
			yield { records, serverTime: this.options.clock, total, more, dropped: this.options.droppedPerPage };
			if (!more) return;
		}
	}

	async window(request: Omit<ScanRequest, 'before' | 'afterId' | 'pageSize'>, k: number): Promise<WindowRead> {
		this.calls.push(`window scope=${request.scope} from=+${(request.from - T0) / SECOND}s k=${k}`);
		const ordered = this.matching(request.scope)
			.filter((r) => r.updatedAt >= request.from)
			.sort((a, b) => a.updatedAt - b.updatedAt || compareIds(a.id, b.id));
		const serverTime = this.options.clock;
		const answer = (): WindowRead => {
			if (ordered.length <= k) return { records: ordered, serverTime };
			const next = ordered[k];
			if (next.updatedAt === request.from) return { records: [], burst: true, serverTime };
			return { records: ordered.filter((r) => r.updatedAt < next.updatedAt), frontier: { at: next.updatedAt }, serverTime };
		};
		const read = { ...answer(), ...this.options.windowExtra };
		this.options.afterWindow?.(this.records);
		return read;
	}

	async created(request: CreatedRequest): Promise<ChangeRecord[]> {
		this.calls.push(`created scope=${request.scope} +${(request.createdFrom - T0) / SECOND}s..+${(request.createdTo - T0) / SECOND}s`);
		return this.matching(request.scope).filter(
			(r) =>
				r.createdAt >= request.createdFrom &&
				r.createdAt <= request.createdTo &&
				r.updatedAt >= request.updatedFrom &&
				(request.afterId === undefined || compareIds(r.id, request.afterId) > 0) &&
				(request.upToId === undefined || compareIds(r.id, request.upToId) <= 0),
		);
	}

	async latest(_stream: Stream): Promise<ChangeRecord | undefined> {
		return [...this.records].sort((a, b) => b.updatedAt - a.updatedAt)[0];
	}

	async serverTime(_stream: Stream): Promise<number | undefined> {
		return this.options.clock;
	}
}
