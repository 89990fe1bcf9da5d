export { findPostgresBinDir, type PostgresServer, startPostgres } from './postgres-server.js';
