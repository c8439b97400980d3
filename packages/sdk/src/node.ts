// Node entry (package.json "node" condition): Node 20 has no global WebSocket, so use `ws`, an
// optional peer dependency. Without it the import still works (REST and stores need no socket) and
// `new ParleyClient()` says in one line what to install, instead of a raw ERR_MODULE_NOT_FOUND here.
import { ParleyClient } from './client.js';
import type { WebSocketConstructor } from './connection.js';

try {
  const { default: WebSocket } = await import('ws');
  ParleyClient.defaultWebSocket ??= WebSocket as unknown as WebSocketConstructor;
} catch (error) {
  if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  ParleyClient.missingWebSocketHint =
    '@parley/sdk needs the "ws" package in Node for its socket: npm install ws (or pass options.WebSocket)';
}

export * from './index.js';
