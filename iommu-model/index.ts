// The IOMMU SVA model: the oracle `kmigrate check` and the series validator
// ask whether a migrated call site means what the original meant.
export * from './model.js';
export * from './c-expr.js';
export * from './macros.js';
export * from './reaching.js';
export * from './abstraction.js';
export * from './declared.js';
export * from './trees.js';
export * from './check.js';
