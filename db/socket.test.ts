import net from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { connectSocket } from "./socket";

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

/** A local server that answers nothing (the database's side does not matter here). */
async function listening(): Promise<number> {
  const server = net.createServer((socket) => socket.on("error", () => {}));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const port = await listening();
  const server = servers.pop();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  return port;
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  vi.restoreAllMocks();
});

describe("connectSocket", () => {
  it.each([
    ["the only host", ["open"]],
    ["the second host when the first refuses", ["closed", "open"]],
  ] as const)("connects to %s, with Nagle's algorithm off", async (_, kinds) => {
    const noDelay = vi.spyOn(net.Socket.prototype, "setNoDelay");
    // One at a time: a port closed while another server is being opened could be handed to it.
    const ports: number[] = [];
    for (const kind of kinds) ports.push(kind === "open" ? await listening() : await closedPort());
    const socket = await connectSocket({ host: kinds.map(() => "127.0.0.1"), port: ports, path: false });
    sockets.push(socket);
    expect(socket.remotePort).toBe(ports.at(-1));
    expect(noDelay).toHaveBeenCalledWith(true);
  });

  it("fails with the last host's error when none answers", async () => {
    const ports = [await closedPort(), await closedPort()];
    await expect(connectSocket({ host: ["127.0.0.1", "127.0.0.1"], port: ports, path: false })).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
  });

  it("gives up after the connect timeout", async () => {
    // A connection that neither succeeds nor is refused.
    const hanging = new net.Socket();
    sockets.push(hanging);
    vi.spyOn(net, "connect").mockReturnValue(hanging);
    await expect(
      connectSocket({ host: ["db.example"], port: [5432], path: false, connect_timeout: 0.05 }),
    ).rejects.toThrow("Could not connect to the database within 0.05 s");
    expect(hanging.destroyed).toBe(true);
  });
});
