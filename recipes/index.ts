/** Typed task factories for real software. Each returns plain `TaskInput` data for `defineConfig`. */
export { redis, type RedisOptions } from './redis.js';
export { postgres, type PostgresOptions, type PostgresTasks } from './postgres.js';
export { mosquitto, type MosquittoOptions } from './mosquitto.js';
export { nginx, nginxConf, NGINX_HEALTH_PATH, type NginxOptions } from './nginx.js';
export { mosquittoPubSub } from './mosquitto-pubsub.js';
export { findBinary, findPostgresBinDir } from './find-binary.js';
