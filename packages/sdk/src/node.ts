// Node entry (package.json "node" condition): Node 20 has no global WebSocket, so use `ws`.
import WebSocket from 'ws';
import { ParleyClient } from './client.js';
import type { WebSocketConstructor } from './connection.js';

ParleyClient.defaultWebSocket ??= WebSocket as unknown as WebSocketConstructor;

export * from './index.js';
