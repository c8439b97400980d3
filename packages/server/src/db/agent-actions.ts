import type { AgentAction } from '@parley/sdk/protocol';
import { type Db, queryAs } from './database.js';
import { iso } from './time.js';

// SQL for agent_actions, the audit trail of what AI assistants did for their users.

/** A stored action: the API's shape with timestamps as Dates and arguments possibly null. */
type AgentActionRow = Omit<AgentAction, 'arguments' | 'started_at' | 'finished_at' | 'created_at'> & {
  arguments: Record<string, unknown> | null;
  started_at: Date;
  finished_at: Date;
  created_at: Date;
};

const COLUMNS = [
  'id',
  'user_id',
  'tool',
  'arguments',
  'outcome',
  'error_code',
  'room_id',
  'message_id',
  'agent',
  'started_at',
  'finished_at',
  'created_at',
] as const satisfies readonly (keyof AgentActionRow)[];

function toAgentAction(row: AgentActionRow): AgentAction {
  return {
    ...row,
    arguments: row.arguments ?? {},
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    created_at: iso(row.created_at),
  };
}

export interface NewAgentAction {
  user_id: string;
  tool: string;
  arguments: Record<string, unknown>;
  outcome: AgentAction['outcome'];
  error_code: string | null;
  room_id: string | null;
  message_id: string | null;
  agent: string | null;
  started_at: Date;
  finished_at: Date;
}

export async function insertAgentAction(db: Db, action: NewAgentAction): Promise<AgentAction> {
  const [row] = await queryAs<AgentActionRow[]>(
    db('agent_actions')
      .insert({ ...action, arguments: JSON.stringify(action.arguments) })
      .returning(COLUMNS),
  );
  return toAgentAction(row as AgentActionRow);
}

/** A user's actions, newest first, strictly after the `(created_at, id)` position of `after` when given. */
export async function listAgentActions(
  db: Db,
  userId: string,
  options: { after: { at: string; id: string } | null; limit: number },
): Promise<AgentAction[]> {
  const query = db('agent_actions')
    .select(COLUMNS)
    .where('user_id', userId)
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(options.limit);
  if (options.after) {
    query.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [options.after.at, options.after.id]);
  }
  const rows = await queryAs<AgentActionRow[]>(query);
  return rows.map(toAgentAction);
}
