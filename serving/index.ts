/** The Fastify API: the app factory and the HTTP edge helpers route plugins use. */
export { type AppDeps, buildApp } from './app.js';
export * from './http/index.js';
