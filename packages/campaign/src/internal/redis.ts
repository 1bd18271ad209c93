// Where a BullMQ campaign lives in Redis: the queue `moonpool-<campaign>` (BullMQ's keys under
// `bull:`), and beside it the manifest, the done flag and a count of executions per job id.
import { InvalidArgumentError } from "@moonpool/core";
import type { RedisOptions } from "bullmq";

/** Connection options of `redis://[user:password@]host:port[/db]` (argument: the flag or option named in errors). */
export function redisOptionsOf(url: string, argument: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(argument, `expected redis://host:port, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new InvalidArgumentError(
      argument,
      `expected a redis:// or rediss:// URL, got ${JSON.stringify(url)}`,
    );
  }
  if (parsed.hostname === "") throw new InvalidArgumentError(argument, `no host in ${JSON.stringify(url)}`);
  const port = parsed.port === "" ? 6379 : Number(parsed.port);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isSafeInteger(db) || db < 0) {
    throw new InvalidArgumentError(
      argument,
      `expected a database number after the port, got ${JSON.stringify(url)}`,
    );
  }
  return {
    host: parsed.hostname,
    port,
    db,
    ...(parsed.username !== "" ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password !== "" ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    // BullMQ needs commands to wait for a reconnection rather than fail (a Redis restart).
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(50 * times, 1000),
  };
}

/** Throws an InvalidArgumentError naming `argument` unless `url` is a redis:// URL. */
export function checkQueueUrl(url: string, argument: string): void {
  redisOptionsOf(url, argument);
}

/** The BullMQ queue of a campaign. */
export function queueName(campaign: string): string {
  return `moonpool-${campaign}`;
}

/** Redis keys of a campaign beside its queue. */
export function campaignKeys(campaign: string): { manifest: string; done: string; executions: string } {
  const base = `moonpool:${campaign}`;
  return { manifest: `${base}:manifest`, done: `${base}:done`, executions: `${base}:executions` };
}
