/**
 * A small stand-in for a PostgreSQL server that asks for a cleartext password and records the
 * logins it sees: what a client really sends on the wire (the real server of this machine
 * trusts local connections, so it cannot tell whether a password came). It then refuses the
 * login (28P01), or accepts it and answers every query with one row: version = FakePG.
 */
import { createServer, type Socket } from 'node:net';
import { afterAll, onTestFinished } from 'vitest';

export interface Login {
  user: string;
  database: string;
  /** The password the client sent; null when it sent none (it closed, or asked for TLS). */
  password: string | null;
  /** The client asked for TLS first (an SSLRequest); this server said no. */
  tls: boolean;
}

export interface FakePg {
  port: number;
  host: string;
  /** postgres://user@host:port/database, without a password. */
  url(user?: string, database?: string): string;
  logins: Login[];
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;

function message(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type, 'ascii'), len, body]);
}
const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const cstr = (s: string): Buffer => Buffer.from(`${s}\0`, 'utf8');

const refused = message(
  'E',
  Buffer.concat([
    cstr('SFATAL'),
    cstr('VFATAL'),
    cstr('C28P01'),
    cstr('Mpassword authentication failed (fake server)'),
    Buffer.from([0]),
  ]),
);
const ready = message('Z', Buffer.from('I'));
const versionRow = Buffer.concat([
  message(
    'T',
    Buffer.concat([
      int16(1),
      cstr('version'),
      int32(0),
      int16(0),
      int32(25),
      int16(-1),
      int32(-1),
      int16(0),
    ]),
  ),
  message('D', Buffer.concat([int16(1), int32(6), Buffer.from('FakePG')])),
  message('C', cstr('SELECT 1')),
  ready,
]);

/** Serves one client: startup, the password asked and recorded, then refusal or answers. */
function serve(socket: Socket, accept: boolean, logins: Login[]): void {
  let buf = Buffer.alloc(0);
  let started = false;
  let login: Login = { user: '', database: '', password: null, tls: false };
  socket.on('error', () => undefined);
  socket.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (!started) {
        if (buf.length < 4 || buf.length < buf.readInt32BE(0)) return;
        const len = buf.readInt32BE(0);
        const code = buf.readInt32BE(4);
        const body = buf.subarray(8, len);
        buf = buf.subarray(len);
        if (code === SSL_REQUEST || code === GSS_REQUEST) {
          login.tls ||= code === SSL_REQUEST;
          socket.write('N');
          continue;
        }
        const parts = body.toString('utf8').split('\0');
        const params: Record<string, string> = {};
        for (let i = 0; i + 1 < parts.length && parts[i]; i += 2) params[parts[i]] = parts[i + 1];
        login = { ...login, user: params.user ?? '', database: params.database ?? '' };
        logins.push(login);
        started = true;
        socket.write(message('R', int32(3))); // AuthenticationCleartextPassword
        continue;
      }
      if (buf.length < 5 || buf.length < 1 + buf.readInt32BE(1)) return;
      const type = String.fromCharCode(buf[0]);
      const len = buf.readInt32BE(1);
      const body = buf.subarray(5, 1 + len);
      buf = buf.subarray(1 + len);
      if (type === 'p') {
        login.password = body.toString('utf8').replace(/\0$/, '');
        if (!accept) {
          socket.end(refused);
          return;
        }
        socket.write(Buffer.concat([message('R', int32(0)), ready]));
      } else if (type === 'Q') socket.write(versionRow);
      else if (type === 'X') {
        socket.end();
        return;
      }
    }
  });
}

/**
 * Starts a fake server on a free port of `host` (default 127.0.0.1; any 127.x.y.z is this
 * machine too); closed when the test (or the file) ends.
 */
export async function fakePg(o: { accept?: boolean; host?: string } = {}): Promise<FakePg> {
  const host = o.host ?? '127.0.0.1';
  const logins: Login[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    serve(s, o.accept === true, logins);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as { port: number }).port;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  try {
    onTestFinished(close);
  } catch {
    afterAll(close);
  }
  return {
    port,
    host,
    url: (user = 'etl', database = 'dw') =>
      `postgres://${encodeURIComponent(user)}@${host}:${port}/${encodeURIComponent(database)}`,
    logins,
    close,
  };
}
