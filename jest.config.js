/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	// The sources too: jest --findRelatedTests (and Stryker's jest runner) then follows imports through them
	// (a test that reaches transport/v5.ts through the trigger node is related to it).
	roots: ['<rootDir>/test', '<rootDir>/nodes'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
	},
	testTimeout: 30000,
};
