/** The simulated clock: starts where it is set and runs at real speed unless frozen. */
export class SimClock {
	private base: number;
	private realRef: number;
	private frozenFlag = false;

	constructor(start: number) {
		this.base = start;
		this.realRef = Date.now();
	}

	now(): number {
		return this.frozenFlag ? this.base : this.base + (Date.now() - this.realRef);
	}

	get frozen(): boolean {
		return this.frozenFlag;
	}

	set(ms: number): void {
		this.base = ms;
		this.realRef = Date.now();
	}

	freeze(frozen: boolean): void {
		const now = this.now();
		this.frozenFlag = frozen;
		this.set(now);
	}
}
