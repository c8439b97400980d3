import {
  AGENT_RECORDS_PER_MINUTE,
  AGENT_WRITES_PER_MINUTE,
  createAgentActionService,
  type AgentActionService,
} from './agent-actions.js';
import { Metrics, type RateLimitKind } from '../metrics.js';
import type { ServiceDeps } from './deps.js';
import { createMessageService, type MessageService } from './messages.js';
import { createParticipantService, type ParticipantService } from './participants.js';
import { createPresenceService, type PresenceService, type PresenceTracker } from './presence.js';
import { TokenBucketLimiter, type RateLimiter, type TokenBucketOptions } from './rate-limit.js';
import { createWritePath, type WritePath } from './write-path.js';
import { createTypingService, TYPING_SIGNALS_PER_10S, type TypingService } from './typing.js';
import { createReactionService, type ReactionService } from './reactions.js';
import { createReadService, type ReadService } from './reads.js';
import { createRoomService, type RoomService } from './rooms.js';
import { createUserService, type UserService } from './users.js';

/** The domain as one object, shared by REST routes and the socket gateway. */
export interface Services {
  users: UserService;
  rooms: RoomService;
  messages: MessageService;
  participants: ParticipantService;
  reactions: ReactionService;
  reads: ReadService;
  presence: PresenceService;
  typing: TypingService;
  /** The group commit that sends and read markers go through (its counters are read by tests). */
  writes: WritePath;
  /** The audit trail of AI assistants acting for their users. */
  agentActions: AgentActionService;
  /** This node's counters for GET /metrics (the gateway and the write path add to them). */
  metrics: Metrics;
}

/**
 * What differs between one node and a cluster: where socket counts
 * and per-user rate limits live. In memory when omitted; Redis-backed when
 * `REDIS_URL` is set (see cluster.ts).
 */
export interface ServiceInfrastructure {
  presenceTracker?: PresenceTracker;
  /** Builds the limiter for one kind of per-user token bucket. */
  rateLimiter?: (bucket: TokenBucketOptions) => RateLimiter;
}

export function createServices(deps: ServiceDeps, infrastructure: ServiceInfrastructure = {}): Services {
  const metrics = new Metrics({ db: deps.db, defaultMetrics: deps.config.metricsToken !== null });
  const limiter = (kind: RateLimitKind, bucket: TokenBucketOptions) => {
    const made = infrastructure.rateLimiter?.(bucket) ?? new TokenBucketLimiter(bucket);
    metrics.watchRateLimiter(kind, made);
    return made;
  };
  const messagesPer10s = deps.config.rateLimitMessagesPer10s;
  const writes = createWritePath(deps, metrics);
  return {
    users: createUserService(deps),
    rooms: createRoomService(deps),
    // One bucket per user for REST and socket sends alike (PARLEY_RATE_LIMIT_MESSAGES_PER_10S).
    messages: createMessageService(deps, writes, {
      sends: limiter('send', { capacity: messagesPer10s, refillPerSecond: messagesPer10s / 10 }),
      agentWrites: limiter('agent_write', {
        capacity: AGENT_WRITES_PER_MINUTE,
        refillPerSecond: AGENT_WRITES_PER_MINUTE / 60,
      }),
    }),
    participants: createParticipantService(deps),
    reactions: createReactionService(deps),
    reads: createReadService(deps, writes),
    writes,
    presence: createPresenceService(deps, infrastructure.presenceTracker),
    typing: createTypingService(
      deps,
      limiter('typing', { capacity: TYPING_SIGNALS_PER_10S, refillPerSecond: TYPING_SIGNALS_PER_10S / 10 }),
    ),
    agentActions: createAgentActionService(
      deps,
      limiter('agent_record', { capacity: AGENT_RECORDS_PER_MINUTE, refillPerSecond: AGENT_RECORDS_PER_MINUTE / 60 }),
    ),
    metrics,
  };
}
