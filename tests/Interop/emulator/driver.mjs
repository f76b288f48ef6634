// Long-lived driver of stock Baileys sockets against the emulator. Line-delimited JSON both ways.
// stdin commands:
//   {cmd:"start", name, url, root, pairingPhone?, keepAliveMs?}  new in-memory account; pairingPhone => pairing code
//   {cmd:"reconnect", name}                          new socket with the same auth state
//   {cmd:"close", name}                              closes the socket, keeps the auth state
//   {cmd:"sendText", name, to, text, ref}            -> {event:"sent", ref, id}
//   {cmd:"sendImage", name, to, data(base64), mimetype, caption, ref}
//   {cmd:"exit"}
// stdout events: ready, qr, pairingCode, connection {connection, statusCode}, open {me, lid}, restart,
//   message {id, from, fromMe, offline, text?, image?(base64), caption?}, sent, error.
import { createInterface } from 'node:readline';
import makeWASocket, { initAuthCreds, downloadMediaMessage, DisconnectReason } from '@whiskeysockets/baileys';
import { WA_CERT_DETAILS } from '@whiskeysockets/baileys/lib/Defaults/index.js';

const quiet = { level: 'silent', child() { return quiet; }, trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {} };
const clients = new Map();
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');

const memoryKeys = () => {
  const data = new Map();
  return {
    async get(type, ids) {
      const out = {};
      for (const id of ids) {
        const value = data.get(`${type}:${id}`);
        if (value !== undefined) out[id] = value;
      }
      return out;
    },
    async set(update) {
      for (const [type, values] of Object.entries(update)) {
        for (const [id, value] of Object.entries(values)) {
          if (value === null || value === undefined) data.delete(`${type}:${id}`);
          else data.set(`${type}:${id}`, value);
        }
      }
    },
  };
};

const textOf = (message) => message?.conversation ?? message?.extendedTextMessage?.text;

function connect(client) {
  const { name } = client;
  const sock = makeWASocket({
    auth: client.auth,
    waWebSocketUrl: client.url,
    logger: quiet,
    printQRInTerminal: false,
    markOnlineOnConnect: true,
    syncFullHistory: false,
    shouldSyncHistoryMessage: () => false,
    generateHighQualityLinkPreview: false,
    getMessage: async () => undefined,
    ...(client.keepAliveMs ? { keepAliveIntervalMs: client.keepAliveMs } : {}),
  });
  client.sock = sock;
  let askedCode = false;
  sock.ev.on('creds.update', (update) => Object.assign(client.auth.creds, update));
  sock.ev.on('connection.update', async (update) => {
    if (client.sock !== sock) return;
    if (update.qr) {
      if (client.pairingPhone && !askedCode) {
        askedCode = true;
        try {
          emit({ event: 'pairingCode', name, code: await sock.requestPairingCode(client.pairingPhone) });
        } catch (e) {
          emit({ event: 'error', name, message: String(e?.message ?? e) });
        }
      } else if (!client.pairingPhone) {
        emit({ event: 'qr', name, qr: update.qr });
      }
    }
    if (update.connection === 'open') {
      emit({ event: 'open', name, me: sock.user?.id, lid: sock.user?.lid });
    }
    if (update.connection === 'close') {
      const statusCode = update.lastDisconnect?.error?.output?.statusCode;
      emit({ event: 'connection', name, connection: 'close', statusCode });
      // Baileys leaves the restart after pairing to the application.
      if (statusCode === DisconnectReason.restartRequired && !client.closing) {
        emit({ event: 'restart', name });
        connect(client);
      }
    }
  });
  sock.ev.on('messages.upsert', async ({ messages }) => {
    for (const msg of messages) {
      const m = msg.message;
      if (!m) continue;
      const event = {
        event: 'message', name, id: msg.key.id, from: msg.key.remoteJid, fromMe: !!msg.key.fromMe,
        text: textOf(m),
      };
      if (m.imageMessage) {
        try {
          const buffer = await downloadMediaMessage(msg, 'buffer', {}, { logger: quiet, reuploadRequest: sock.updateMediaMessage });
          event.image = Buffer.from(buffer).toString('base64');
          event.caption = m.imageMessage.caption;
        } catch (e) {
          event.error = String(e?.message ?? e);
        }
      }
      if (event.text === undefined && !m.imageMessage) continue;
      emit(event);
    }
  });
}

async function handle(command) {
  const client = clients.get(command.name);
  switch (command.cmd) {
    case 'start': {
      WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(command.root, 'hex');
      const next = {
        name: command.name, url: command.url, pairingPhone: command.pairingPhone, keepAliveMs: command.keepAliveMs,
        auth: { creds: initAuthCreds(), keys: memoryKeys() },
      };
      clients.set(command.name, next);
      connect(next);
      break;
    }
    case 'reconnect':
      client.closing = false;
      connect(client);
      break;
    case 'close':
      client.closing = true;
      client.sock.end(undefined);
      break;
    case 'sendText': {
      const sent = await client.sock.sendMessage(command.to, { text: command.text });
      emit({ event: 'sent', name: command.name, ref: command.ref, id: sent?.key?.id });
      break;
    }
    case 'sendImage': {
      const sent = await client.sock.sendMessage(command.to, {
        image: Buffer.from(command.data, 'base64'), mimetype: command.mimetype ?? 'image/png', caption: command.caption,
      });
      emit({ event: 'sent', name: command.name, ref: command.ref, id: sent?.key?.id });
      break;
    }
    case 'exit':
      for (const c of clients.values()) { c.closing = true; c.sock?.end(undefined); }
      setTimeout(() => process.exit(0), 50);
      break;
    default:
      emit({ event: 'error', message: `unknown command ${command.cmd}` });
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) return;
  let command;
  try {
    command = JSON.parse(line);
  } catch {
    emit({ event: 'error', message: 'stdin line is not JSON' });
    return;
  }
  handle(command).catch((e) => emit({ event: 'error', name: command.name, ref: command.ref, message: String(e?.message ?? e) }));
});
lines.on('close', () => process.exit(0));
emit({ event: 'ready' });
