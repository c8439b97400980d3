/** @parley/server: embed or start the Parley server programmatically. */
export { createApp, type AppDeps } from './app.js';
export { startServer, type RunningServer, type StartOptions } from './server.js';
export { loadConfig, ConfigError, type Config, type JwtConfig } from './config.js';
export { createDatabase, type Db } from './db/database.js';
export { migrate, SqlMigrationSource } from './db/migrate.js';
export { withUser } from './db/with-user.js';
export type { EventBus, BusMessage, BusObserver } from './bus/bus.js';
export { InProcessBus } from './bus/in-process.js';
export { ParleyError } from './errors.js';
export { verifyToken, signToken, type TokenClaims } from './auth/tokens.js';
