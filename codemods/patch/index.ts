// Unified diffs, applying patches, and reading and writing patch series.
// Pure library: no tree-sitter, no output, no process exits.
export * from './diff.js';
export * from './parse.js';
export * from './apply.js';
export * from './mail.js';
export * from './format.js';
