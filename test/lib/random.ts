/** A small seeded generator for randomized pure-function tests: the same seed draws the same integers. */
export function seededInts(seed: number): (n: number) => number {
	let state = seed;
	return (n) => {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		return Math.floor(state / 2 ** 16) % n;
	};
}
