/**
 * Test environment for mutation runs (stryker.config.json): once a test has failed under a mutant, the
 * rest of that mutant's tests are skipped. A mutant is killed by its first failing test, so the others
 * cannot change the verdict; Stryker's jest runner turns jest's own `bail` off (jest cannot bail when run
 * programmatically), and without this every killed mutant would still run every test that covers it.
 * Stryker wraps this environment with its own (coverage per test); outside a mutant run it does nothing.
 */
const { TestEnvironment } = require('jest-environment-node');

/** The mutant whose run already has a failing test. Module state: Stryker runs each mutant's tests in band. */
let failedUnder;

class MutationBailEnvironment extends TestEnvironment {
	handleTestEvent(event) {
		const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
		if (mutant === undefined) return;
		// jest-circus announces a test before it looks at its mode: a test marked skipped here does not run.
		if (event.name === 'test_start' && failedUnder === mutant) event.test.mode = 'skip';
		if (event.name === 'test_done' && event.test.errors.length > 0) failedUnder = mutant;
	}
}

module.exports = MutationBailEnvironment;
