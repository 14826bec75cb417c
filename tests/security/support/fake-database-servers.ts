import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';

/**
 * Impostor database servers for attacks: they speak just enough of the PostgreSQL or
 * MySQL handshake to make a client send its password (PostgreSQL: cleartext password
 * authentication; MySQL: sha256_password, which mysql2 sends in clear over TLS), and
 * record every byte they receive after TLS is taken off. A real server the attacker
 * controls would do the same.
 */
export interface FakeServer {
  host: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Everything received from clients, decrypted, as latin1 text (passwords show up verbatim). */
  received(): string;
  close(): Promise<void>;
}

export interface FakeServerOptions {
  host?: string;
  /** Offer TLS with this certificate; without it the server says it has none. */
  tls?: { certificate: string; key: string };
}

async function listen(host: string, onSocket: (socket: net.Socket, record: (chunk: Buffer) => void) => void): Promise<FakeServer> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket, (chunk) => chunks.push(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    connections: () => accepted,
    received: () => Buffer.concat(chunks).toString('latin1'),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

/**
 * Reads length-prefixed messages from a stream, handing each one over whole. When
 * `onMessage` returns a function, reading stops and it gets the bytes already received
 * after that message (a client may send its TLS hello without waiting for an answer).
 */
function framed(
  stream: Duplex,
  lengthOf: (buffer: Buffer) => number | null,
  onMessage: (message: Buffer) => ((rest: Buffer) => void) | void,
) {
  let pending = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (let length = lengthOf(pending); length !== null && pending.length >= length; length = lengthOf(pending)) {
      const message = pending.subarray(0, length);
      pending = pending.subarray(length);
      const handOver = onMessage(message);
      if (handOver) {
        stream.off('data', onData);
        handOver(pending);
        return;
      }
    }
  };
  stream.on('data', onData);
}

/** Starts server-side TLS on a socket whose first TLS bytes (`rest`) may already have been read. */
function startTls(socket: Duplex, rest: Buffer, certificate: { certificate: string; key: string }): tls.TLSSocket {
  const carrier = new Duplex({
    read() {},
    write(chunk, _encoding, done) {
      socket.write(chunk, done);
    },
    final(done) {
      socket.end();
      done();
    },
  });
  socket.on('data', (chunk: Buffer) => carrier.push(chunk));
  socket.on('end', () => carrier.push(null));
  if (rest.length > 0) carrier.push(rest);
  const secure = new tls.TLSSocket(carrier, { isServer: true, cert: certificate.certificate, key: certificate.key });
  secure.on('error', () => socket.destroy());
  return secure;
}

const SSL_REQUEST = 80877103;

/**
 * PostgreSQL: answers SSLRequest with 'S' (and TLS) or 'N', asks for a cleartext password
 * after the startup message, then refuses it (28P01) so the client gives up cleanly.
 */
export function startFakePostgres(options: FakeServerOptions = {}): Promise<FakeServer> {
  return listen(options.host ?? '127.0.0.1', (socket, record) => {
    const speak = (stream: Duplex) => {
      let started = false;
      framed(
        stream,
        (b) => (started ? (b.length >= 5 ? 1 + b.readInt32BE(1) : null) : b.length >= 4 ? b.readInt32BE(0) : null),
        (message) => {
          record(message);
          if (!started && message.length === 8 && message.readInt32BE(4) === SSL_REQUEST) {
            const certificate = options.tls;
            if (!certificate || stream instanceof tls.TLSSocket) {
              stream.write('N');
              return;
            }
            stream.write('S');
            return (rest) => speak(startTls(stream, rest, certificate));
          }
          if (!started) {
            started = true;
            const auth = Buffer.alloc(9);
            auth.write('R', 0);
            auth.writeInt32BE(8, 1);
            auth.writeInt32BE(3, 5); // AuthenticationCleartextPassword
            stream.write(auth);
            return;
          }
          if (message[0] === 'p'.charCodeAt(0)) {
            const fields = Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed for user\0\0', 'latin1');
            const error = Buffer.alloc(5);
            error.write('E', 0);
            error.writeInt32BE(4 + fields.length, 1);
            stream.end(Buffer.concat([error, fields]));
          }
        },
      );
    };
    speak(socket);
  });
}

const packet = (sequence: number, payload: Buffer) => {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = sequence;
  return Buffer.concat([header, payload]);
};

/**
 * MySQL / MariaDB: a v10 handshake offering TLS (when configured) and sha256_password, so
 * a client that accepts the TLS sends its password in clear inside it; the answer is an
 * access-denied error (1045).
 */
export function startFakeMysql(options: FakeServerOptions = {}): Promise<FakeServer> {
  const CLIENT = { LONG_PASSWORD: 0x1, LONG_FLAG: 0x4, CONNECT_WITH_DB: 0x8, PROTOCOL_41: 0x200, SSL: 0x800, TRANSACTIONS: 0x2000, SECURE_CONNECTION: 0x8000, PLUGIN_AUTH: 0x80000 };
  let capabilities = CLIENT.LONG_PASSWORD | CLIENT.LONG_FLAG | CLIENT.CONNECT_WITH_DB | CLIENT.PROTOCOL_41 | CLIENT.TRANSACTIONS | CLIENT.SECURE_CONNECTION | CLIENT.PLUGIN_AUTH;
  if (options.tls) capabilities |= CLIENT.SSL;
  const handshake = () => {
    const lower = Buffer.alloc(2);
    lower.writeUInt16LE(capabilities & 0xffff);
    const upper = Buffer.alloc(2);
    upper.writeUInt16LE(capabilities >>> 16);
    return Buffer.concat([
      Buffer.from([10]),
      Buffer.from('10.11.0-MariaDB-impostor\0', 'latin1'),
      Buffer.from([1, 0, 0, 0]),
      Buffer.from('abcdefgh', 'latin1'),
      Buffer.from([0]),
      lower,
      Buffer.from([0x21, 0x02, 0x00]),
      upper,
      Buffer.from([21]),
      Buffer.alloc(10),
      Buffer.from('ijklmnopqrst\0', 'latin1'),
      Buffer.from('sha256_password\0', 'latin1'),
    ]);
  };
  const accessDenied = Buffer.concat([Buffer.from([0xff, 0x15, 0x04]), Buffer.from('#28000Access denied for user', 'latin1')]);
  return listen(options.host ?? '127.0.0.1', (socket, record) => {
    socket.write(packet(0, handshake()));
    const lengthOf = (b: Buffer) => (b.length >= 4 ? 4 + b.readUIntLE(0, 3) : null);
    framed(socket, lengthOf, (message) => {
      record(message);
      const flags = message.length >= 8 ? message.readUInt32LE(4) : 0;
      const certificate = options.tls;
      // A 32-byte SSLRequest asks for TLS before the real handshake response.
      if (certificate && message.length === 4 + 32 && flags & CLIENT.SSL) {
        return (rest) => {
          const secure = startTls(socket, rest, certificate);
          framed(secure, lengthOf, (inner) => {
            record(inner);
            secure.end(packet(inner[3] + 1, accessDenied));
          });
        };
      }
      socket.end(packet(message[3] + 1, accessDenied));
    });
  });
}
