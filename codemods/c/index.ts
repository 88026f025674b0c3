export * from './parser.js';
export * from './text.js';
export * from './nodes.js';
export * from './collect.js';
