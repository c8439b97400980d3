#!/usr/bin/env node
// A tiny bot built on the Parley SDK in Node: it answers "!ping" with "pong" and
// "!time" with the server time, in every room its user belongs to.
//
//   PARLEY_URL=http://localhost:3000 PARLEY_TOKEN=$(npx parley token --sub bot --name Bot) node examples/node-bot/bot.mjs
//
// A real deployment would fetch a fresh token from the host app in getToken().
import { ParleyClient } from '@parley/sdk';

const url = process.env.PARLEY_URL ?? 'http://localhost:3000';
const token = process.env.PARLEY_TOKEN;
if (!token) {
  console.error('Set PARLEY_TOKEN (mint one with: npx parley token --sub bot --name Bot)');
  process.exit(1);
}

const client = new ParleyClient({ url, getToken: () => token });

client.on('connection.changed', ({ state }) => console.log(`[bot] connection: ${state}`));
client.on('message.new', ({ message }) => {
  if (message.sender_id === client.user?.id || message.type !== 'text' || !message.content) return;
  const command = message.content.trim().toLowerCase();
  if (command === '!ping') void client.sendMessage(message.room_id, 'pong');
  if (command === '!time') void client.sendMessage(message.room_id, `It is ${new Date().toISOString()} here.`);
});

const me = await client.connect();
const rooms = await client.loadRooms();
console.log(`[bot] signed in as ${me.name} (${me.id}), in ${rooms.length} room(s); say !ping`);

process.on('SIGINT', () => {
  client.destroy();
  process.exit(0);
});
