// The i2c core model: `i2cCoreModel` for the registry, and the checker.
export * from './check.js';
