export * from './locales.js';
export * from './format.js';
export * from './t.js';
