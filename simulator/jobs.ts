/**
 * The Import API's imports (imports.ts applies them): what each one was asked to do, its CSV rows, its
 * timeline in simulated time and its results. Plain data; the handler applies Pardot's rules.
 */

/** An import's status as v5 reports it; `Ready` is only ever sent, never reported (the import is then `Waiting`). */
export type ImportStatus = 'Open' | 'Waiting' | 'Processing' | 'Complete';

/** A column option of an import (documented for the v4 Import API): whether a value may overwrite one, and whether an empty one clears it. */
export interface ImportColumn {
	field: string;
	overwrite: boolean;
	nullOverwrite: boolean;
}

export interface ImportJob {
	id: number;
	operation: 'Upsert';
	object: 'Prospect';
	/** A matched prospect in the recycle bin is restored and updated (else the row fails). */
	restoreDeleted: boolean;
	/** A row whose match finds no prospect creates one (else the row fails). */
	createOnNoMatch: boolean;
	columns: ImportColumn[] | null;
	/** The CSV header of the first batch (every batch must have the same). */
	header: string[] | null;
	/** Every data row of every batch, in upload order. */
	rows: string[][];
	batches: number;
	createdAt: number;
	updatedAt: number;
	/** When it was submitted (status Ready); null while Open. */
	submittedAt: number | null;
	/** When processing starts (submittedAt + importWaitMs) and ends (+ importProcessingMs). */
	processingAt: number | null;
	completeAt: number | null;
	/** Rows applied so far (each at its own instant inside processing). */
	applied: number;
	createdCount: number;
	updatedCount: number;
	/** Rows that failed: their values and why. */
	errors: Array<{ values: string[]; message: string }>;
}

export class ImportJobs {
	readonly byId = new Map<number, ImportJob>();
	private nextId = 1;

	clear(): void {
		this.byId.clear();
		this.nextId = 1;
	}

	add(job: Omit<ImportJob, 'id'>): ImportJob {
		const created = { ...job, id: this.nextId++ };
		this.byId.set(created.id, created);
		return created;
	}

	/** Imports submitted whose rows are not all applied yet. */
	pending(): ImportJob[] {
		return [...this.byId.values()].filter((job) => job.submittedAt !== null && job.applied < job.rows.length);
	}
}
