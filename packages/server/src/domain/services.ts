import type { ServiceDeps } from './deps.js';
import { createMessageService, type MessageService } from './messages.js';
import { createRoomService, type RoomService } from './rooms.js';
import { createUserService, type UserService } from './users.js';

/** The domain as one object, shared by REST routes and the socket gateway. */
export interface Services {
  users: UserService;
  rooms: RoomService;
  messages: MessageService;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    users: createUserService(deps),
    rooms: createRoomService(deps),
    messages: createMessageService(deps),
  };
}
