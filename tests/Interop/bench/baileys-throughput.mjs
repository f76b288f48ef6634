// Throughput of stock Baileys between two of its own sockets through the emulator: one sends N texts to the
// other, one after another (each sendMessage awaited), and the clock runs until the receiver has all N.
// stdin: {url, root, admin, count, warmup, phones: [sender, receiver]}
// stdout: {count, seconds, perSecond, rssBefore, rssAfter, heapBefore, heapAfter}
import { readFileSync } from 'node:fs';
import makeWASocket, { initAuthCreds, DisconnectReason } from '@whiskeysockets/baileys';
import { WA_CERT_DETAILS } from '@whiskeysockets/baileys/lib/Defaults/index.js';
import { memoryKeys } from '../emulator/memory-keys.mjs';

const input = JSON.parse(readFileSync(0, 'utf8'));
WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(input.root, 'hex');
const quiet = { level: 'silent', child() { return quiet; }, trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {} };

// Pairs a fresh account by QR through the emulator's admin API and resolves with the open socket.
function pair(phone, onText) {
  const auth = { creds: initAuthCreds(), keys: memoryKeys() };
  return new Promise((resolve, reject) => {
    const connect = () => {
      const sock = makeWASocket({
        auth, waWebSocketUrl: input.url, logger: quiet, printQRInTerminal: false, markOnlineOnConnect: false,
        syncFullHistory: false, shouldSyncHistoryMessage: () => false, getMessage: async () => undefined,
      });
      let scanned = false;
      sock.ev.on('creds.update', (update) => Object.assign(auth.creds, update));
      sock.ev.on('messages.upsert', ({ messages }) => {
        for (const m of messages) {
          const text = m.message?.conversation ?? m.message?.extendedTextMessage?.text;
          if (!m.key.fromMe && text !== undefined) onText(text);
        }
      });
      sock.ev.on('connection.update', async (update) => {
        if (update.qr && !scanned) {
          scanned = true;
          const response = await fetch(`${input.admin}/scan`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ qr: update.qr, phone }),
          });
          if (!response.ok) reject(new Error(`scan failed: ${response.status}`));
        }
        if (update.connection === 'open') resolve(sock);
        if (update.connection === 'close') {
          const code = update.lastDisconnect?.error?.output?.statusCode;
          if (code === DisconnectReason.restartRequired) connect();
          else reject(new Error(`closed with ${code}`));
        }
      });
    };
    connect();
  });
}

let received = 0;
let wanted = 0;
let done = () => {};
const [senderPhone, receiverPhone] = input.phones;
const sender = await pair(senderPhone, () => {});
const receiver = await pair(receiverPhone, () => {
  received += 1;
  if (received === wanted) done();
});
const to = `${receiverPhone}@s.whatsapp.net`;

async function run(count, label) {
  received = 0;
  wanted = count;
  const all = new Promise((resolve) => { done = resolve; });
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    await sender.sendMessage(to, { text: `${label} ${i}` });
  }
  await all;
  return Number(process.hrtime.bigint() - start) / 1e9;
}

await run(input.warmup, 'warmup');
const before = process.memoryUsage();
const seconds = await run(input.count, 'message');
const after = process.memoryUsage();
process.stdout.write(JSON.stringify({
  count: input.count, seconds, perSecond: input.count / seconds,
  rssBefore: before.rss, rssAfter: after.rss, heapBefore: before.heapUsed, heapAfter: after.heapUsed,
}) + '\n');
sender.end(undefined);
receiver.end(undefined);
setTimeout(() => process.exit(0), 100);
