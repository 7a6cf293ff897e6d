/**
 * What every area shares: event contracts, tenancy (tokens, pseudonyms),
 * configuration (the data directory) and logging. Import from here, not from
 * the subfolders.
 */
export * from './config/index.js';
export * from './contracts/index.js';
export * from './errors/index.js';
export * from './logging/index.js';
export * from './tenancy/index.js';
