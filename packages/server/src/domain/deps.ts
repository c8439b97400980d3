import type { Knex } from 'knex';
import type { EventBus } from '../bus/bus.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/** Everything a service may use; built once per app, passed explicitly (no singletons). */
export interface ServiceDeps {
  config: Config;
  db: Knex;
  bus: EventBus;
  logger: Logger;
}
