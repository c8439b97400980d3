import type { Knex } from 'knex';
import { queryAs } from '../db/database.js';
import type { Services } from '../domain/services.js';

/** The seeded demo people. Their ids are also the `?as=` values. */
export const DEMO_USERS = [
  { id: 'alice', name: 'Alice' },
  { id: 'bob', name: 'Bob' },
  { id: 'carol', name: 'Carol' },
] as const;

export type DemoUserId = (typeof DEMO_USERS)[number]['id'];

export const DEMO_ROOM_NAME = 'Demo team';

type Line =
  | { from: DemoUserId; say: string; reactions?: [DemoUserId, string][] }
  | { from: DemoUserId; share: string; title: string };

/** A morning in the demo team: what a first visitor finds, so every part of the drawer has something to show. */
const TEAM_HISTORY: Line[] = [
  {
    from: 'bob',
    say: 'Morning! Shall we ship the widget today? 🚀',
    reactions: [
      ['alice', '👍'],
      ['carol', '👍'],
    ],
  },
  { from: 'bob', say: 'CI is green on main.' },
  { from: 'carol', say: 'Docs are ready: https://example.com/parley/docs', reactions: [['alice', '❤️']] },
  { from: 'alice', say: 'Tests are green on PGlite and PostgreSQL.', reactions: [['bob', '🎉']] },
  {
    from: 'carol',
    share: 'Release checklist: tag v0.1, publish the SDK, deploy the server, announce.',
    title: 'Release assistant',
  },
  {
    from: 'alice',
    say: "Great, let's do it at 3 pm 🎉",
    reactions: [
      ['bob', '🎉'],
      ['carol', '🙌'],
    ],
  },
];

/** The two direct rooms: who opens each, with whom, and its first words. */
const DIRECT_ROOMS: { from: DemoUserId; to: DemoUserId; say: string }[] = [
  { from: 'bob', to: 'alice', say: 'Lunch at 12?' },
  { from: 'alice', to: 'carol', say: 'Sending the release notes in a minute' },
];

/**
 * Makes sure the directory has the demo users, and on the first start gives them the demo team's
 * history and two direct rooms. Everything goes through the services, as a user's own actions would
 * (RLS, room logs, unread counts and all). Once the team room exists its history is the visitors' own,
 * so a restart adds nothing.
 */
export async function seedDemo(db: Knex, services: Services): Promise<void> {
  // As a token would sign them in (through the service, whose cache of what it wrote must stay true).
  for (const user of DEMO_USERS) await services.users.signIn({ sub: user.id, name: user.name, picture: null, exp: 0 });
  const existing = await queryAs<{ id: string } | undefined>(
    db('chat_rooms').where({ type: 'group', name: DEMO_ROOM_NAME, created_by: 'alice' }).first('id'),
  );
  if (existing) return;
  const say = async (from: string, roomId: string, content: string, share?: { title: string }) =>
    (
      await services.messages.send(from, roomId, {
        content,
        clientId: null,
        ...(share
          ? { type: 'ai_share', metadata: { source_conversation_id: 'demo-release', source_title: share.title } }
          : { type: 'text', metadata: {} }),
      })
    ).message;

  for (const { from, to, say: first } of DIRECT_ROOMS) {
    const { room } = await services.rooms.create(from, { type: 'direct', user_ids: [to] });
    await say(from, room.id, first);
  }
  const { room: team } = await services.rooms.create('alice', {
    type: 'group',
    name: DEMO_ROOM_NAME,
    user_ids: ['bob', 'carol'],
  });
  for (const line of TEAM_HISTORY) {
    if ('share' in line) {
      await say(line.from, team.id, line.share, { title: line.title });
      continue;
    }
    const message = await say(line.from, team.id, line.say);
    for (const [who, emoji] of line.reactions ?? []) await services.reactions.add(who, team.id, message.id, emoji);
  }
  // Everyone has read the team room (Alice's last message shows "seen by" Bob and Carol); Bob's
  // "Lunch at 12?" is what waits for Alice, unread.
  for (const reader of ['alice', 'bob', 'carol']) await services.reads.markRead(reader, team.id, null);
}
