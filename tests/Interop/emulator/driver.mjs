// Long-lived driver of stock Baileys sockets against the emulator. Line-delimited JSON both ways.
// stdin commands:
//   {cmd:"start", name, url, root, pairingPhone?, keepAliveMs?}  new in-memory account; pairingPhone => pairing code
//   {cmd:"reconnect", name}                          new socket with the same auth state
//   {cmd:"close", name}                              closes the socket, keeps the auth state
//   {cmd:"sendText", name, to, text, ref}            -> {event:"sent", ref, id}
//   {cmd:"sendImage", name, to, data(base64), mimetype, caption, ref}
//   {cmd:"sendMedia", name, to, kind(image|document|audio), data(base64), mimetype, fileName?, caption?, ptt?, ref}
//   {cmd:"read", name, remoteJid, id, participant?}  read receipt for a received message
//   {cmd:"exit"}
// stdout events: ready, qr, pairingCode, connection {connection, statusCode}, open {me, lid}, restart,
//   message {id, from, fromMe, offline, encTypes, text?, image?(base64), caption?, media?(base64), mediaKind?,
//   fileName?, mimetype?}, status {id, remoteJid, status (Baileys' WebMessageInfo.Status number)}, sent, error.
// encTypes lists the enc types (pkmsg, msg, skmsg) of the stanza as it arrived on the wire.
import { createInterface } from 'node:readline';
import makeWASocket, { initAuthCreds, downloadMediaMessage, DisconnectReason } from '@whiskeysockets/baileys';
import { WA_CERT_DETAILS } from '@whiskeysockets/baileys/lib/Defaults/index.js';
import { memoryKeys } from './memory-keys.mjs';

const quiet = { level: 'silent', child() { return quiet; }, trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {} };
const clients = new Map();
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');

const mediaKinds = { imageMessage: 'image', documentMessage: 'document', audioMessage: 'audio' };
const mediaOf = (message) => {
  for (const [field, kind] of Object.entries(mediaKinds)) {
    if (message?.[field]) return { kind, media: message[field] };
  }
  return undefined;
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
    // What an application's message store does: lets Baileys answer retry receipts that miss its own cache
    // (that cache is keyed by the chat JID, a retry receipt names the device).
    getMessage: async (key) => client.sentMessages.get(key.id),
    ...(client.keepAliveMs ? { keepAliveIntervalMs: client.keepAliveMs } : {}),
  });
  client.sock = sock;
  let askedCode = false;
  // Baileys does not expose how a message was encrypted; the raw stanza does.
  const encTypes = new Map();
  sock.ws.on('frame', (node) => {
    if (node?.tag !== 'message' || !Array.isArray(node.content)) return;
    encTypes.set(node.attrs.id, node.content.filter((c) => c.tag === 'enc').map((c) => c.attrs.type));
  });
  sock.ev.on('messages.update', (updates) => {
    if (client.sock !== sock) return;
    for (const { key, update } of updates) {
      if (typeof update.status === 'number') emit({ event: 'status', name, id: key.id, remoteJid: key.remoteJid, status: update.status });
    }
  });
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
        participant: msg.key.participant, encTypes: encTypes.get(msg.key.id), text: textOf(m),
      };
      encTypes.delete(msg.key.id);
      if (m.imageMessage) {
        try {
          const buffer = await downloadMediaMessage(msg, 'buffer', {}, { logger: quiet, reuploadRequest: sock.updateMediaMessage });
          event.image = Buffer.from(buffer).toString('base64');
          event.caption = m.imageMessage.caption;
        } catch (e) {
          event.error = String(e?.message ?? e);
        }
      }
      const other = mediaOf(m);
      if (other && other.kind !== 'image') {
        try {
          const buffer = await downloadMediaMessage(msg, 'buffer', {}, { logger: quiet, reuploadRequest: sock.updateMediaMessage });
          Object.assign(event, {
            media: Buffer.from(buffer).toString('base64'), mediaKind: other.kind, mimetype: other.media.mimetype,
            fileName: other.media.fileName, caption: other.media.caption,
          });
        } catch (e) {
          event.error = String(e?.message ?? e);
        }
      }
      if (event.text === undefined && !m.imageMessage && !other) continue;
      emit(event);
    }
  });
}

const remember = (client, sent) => {
  if (sent?.key?.id && sent.message) client.sentMessages.set(sent.key.id, sent.message);
};

async function handle(command) {
  const client = clients.get(command.name);
  switch (command.cmd) {
    case 'start': {
      WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(command.root, 'hex');
      const next = {
        name: command.name, url: command.url, pairingPhone: command.pairingPhone, keepAliveMs: command.keepAliveMs,
        auth: { creds: initAuthCreds(), keys: memoryKeys() }, sentMessages: new Map(),
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
      remember(client, sent);
      emit({ event: 'sent', name: command.name, ref: command.ref, id: sent?.key?.id });
      break;
    }
    case 'sendImage': {
      const sent = await client.sock.sendMessage(command.to, {
        image: Buffer.from(command.data, 'base64'), mimetype: command.mimetype ?? 'image/png', caption: command.caption,
      });
      remember(client, sent);
      emit({ event: 'sent', name: command.name, ref: command.ref, id: sent?.key?.id });
      break;
    }
    case 'sendMedia': {
      const data = Buffer.from(command.data, 'base64');
      const content = command.kind === 'document'
        ? { document: data, mimetype: command.mimetype, fileName: command.fileName, caption: command.caption }
        : command.kind === 'audio'
          ? { audio: data, mimetype: command.mimetype, ptt: !!command.ptt, seconds: command.seconds ?? 1 }
          : { image: data, mimetype: command.mimetype, caption: command.caption };
      const sent = await client.sock.sendMessage(command.to, content);
      remember(client, sent);
      emit({ event: 'sent', name: command.name, ref: command.ref, id: sent?.key?.id });
      break;
    }
    case 'read':
      await client.sock.readMessages([{ remoteJid: command.remoteJid, id: command.id, participant: command.participant, fromMe: false }]);
      emit({ event: 'readSent', name: command.name, id: command.id });
      break;
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
