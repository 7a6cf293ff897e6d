/**
 * Getting events in and landed: the durable landing buffer, the ingest service
 * and its HTTP route, and the lander that writes the lake's raw Parquet.
 */
export * from './buffer/index.js';
export * from './ingest/index.js';
export * from './landing/index.js';
