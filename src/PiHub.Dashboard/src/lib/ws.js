// @ts-check
// WebSocket commands through home-assistant-js-websocket's connection. Errors keep the server's
// code and sentence; a command this hub does not know yet is told apart so pages can say
// "not available on this hub yet" instead of failing.

export class CommandError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** Sends one command and answers its result, or throws CommandError with the server's message. */
export async function send(conn, message) {
  try {
    return await conn.sendMessagePromise(message);
  } catch (error) {
    if (error && typeof error === "object" && "code" in error) {
      const refusal = /** @type {{ code: unknown, message?: string }} */ (error);
      const text = refusal.message || `The hub refused ${message.type} (${refusal.code}).`;
      throw new CommandError(String(refusal.code), text);
    }
    throw new CommandError("connection_lost", "The connection to the hub was lost; it reconnects by itself. Try again in a moment.");
  }
}

/** Like send, but answers `undefined` when the hub does not have the command. */
export async function sendOptional(conn, message) {
  try {
    return await send(conn, message);
  } catch (error) {
    if (error instanceof CommandError && error.code === "unknown_command") return undefined;
    throw error;
  }
}
