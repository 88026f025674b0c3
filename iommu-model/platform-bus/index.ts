// The platform bus model: `platformBusModel` for the registry, the checker and the path walk.
export * from './check.js';
export * from './paths.js';
