/**
 * Test order for mutation runs (stryker.config.json): the quick table and scenario suites first, the
 * randomized model test and the hostile-server suites (slow by design) last, so that a mutant a quick
 * test kills never waits for them (Stryker stops at the first failing suite).
 */
const Sequencer = require('@jest/test-sequencer').default;

const SLOW = [/[\\/]poll[\\/]model\.test\.ts$/, /hostile\.test\.ts$/, /[\\/]poll[\\/]/];
const weight = (path) => {
	const i = SLOW.findIndex((re) => re.test(path));
	return i === -1 ? 0 : SLOW.length - i;
};

class MutationSequencer extends Sequencer {
	sort(tests) {
		return [...tests].sort((a, b) => weight(a.path) - weight(b.path) || a.path.localeCompare(b.path));
	}
}

module.exports = MutationSequencer;
