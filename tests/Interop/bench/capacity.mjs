// Stock Baileys side of the capacity benchmark: N sessions in this one Node process against the emulator.
// stdin: {url, root, admin, sessions, linkParallel, idleSeconds, messages}; run with --expose-gc and
// NODE_EXTRA_CA_CERTS=<emulator CA>. Prints one line per figure (the C# load driver starts the emulator and this).
import { readFileSync } from 'node:fs';
import makeWASocket, { initAuthCreds, DisconnectReason } from '@whiskeysockets/baileys';
import { WA_CERT_DETAILS } from '@whiskeysockets/baileys/lib/Defaults/index.js';
import { memoryKeys } from '../emulator/memory-keys.mjs';

const input = JSON.parse(readFileSync(0, 'utf8'));
WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(input.root, 'hex');
const quiet = { level: 'silent', child() { return quiet; }, trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {} };
const mb = (bytes) => (bytes / 1048576).toFixed(1);
const phone = (i) => `1666${String(i).padStart(7, '0')}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rss = async () => { global.gc?.(); await sleep(200); global.gc?.(); return process.memoryUsage().rss; };

// One account: resolves once the socket is open after the scan and the 515 restart.
function link(i, onMessage) {
  const client = { auth: { creds: initAuthCreds(), keys: memoryKeys() }, sock: null };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`session ${i} not open after 120 s`)), 120_000);
    const connect = () => {
      const sock = makeWASocket({
        auth: client.auth, waWebSocketUrl: input.url, logger: quiet, printQRInTerminal: false,
        markOnlineOnConnect: false, syncFullHistory: false, shouldSyncHistoryMessage: () => false,
        generateHighQualityLinkPreview: false, getMessage: async () => undefined,
      });
      client.sock = sock;
      sock.ev.on('creds.update', (update) => Object.assign(client.auth.creds, update));
      sock.ev.on('messages.upsert', ({ messages }) => { for (const m of messages) if (!m.key.fromMe) onMessage(i, m); });
      sock.ev.on('connection.update', async (update) => {
        if (client.sock !== sock) return;
        if (update.qr) {
          const response = await fetch(`${input.admin}/scan`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ qr: update.qr, phone: phone(i) }),
          });
          if (!response.ok) reject(new Error(`scan ${response.status}`));
        }
        if (update.connection === 'open') { clearTimeout(timer); resolve(client); }
        if (update.connection === 'close' && update.lastDisconnect?.error?.output?.statusCode === DisconnectReason.restartRequired) connect();
      });
    };
    connect();
  });
}

const waiting = new Map(); // text -> resolve
const onMessage = (_, m) => {
  const text = m.message?.conversation ?? m.message?.extendedTextMessage?.text;
  const done = waiting.get(text);
  if (done) { waiting.delete(text); done(); }
};

const percentile = (values, p) => { const s = [...values].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p / 100 * s.length) - 1))]; };

// Sends `count` texts from session 0 to session 1 with `inFlight` at a time; a message counts when session 1 has it.
async function sendPhase(clients, label, count, inFlight) {
  const to = `${phone(1)}@s.whatsapp.net`;
  const latencies = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const text = `bench ${label} ${next++}`;
      const arrived = new Promise((resolve) => waiting.set(text, resolve));
      const t0 = performance.now();
      await clients[0].sock.sendMessage(to, { text });
      await Promise.race([arrived, sleep(30_000)]);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(`baileys two sessions, ${inFlight} in flight: ${count} messages in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} msg/s, send-to-receive p50=${percentile(latencies, 50).toFixed(1)} ms p99=${percentile(latencies, 99).toFixed(1)} ms`);
}

const n = input.sessions;
const empty = await rss();
console.log(`baileys N=${n}: process with Baileys loaded, no session: rss=${mb(empty)} MB`);
const clients = new Array(n);
let nextLink = 0;
const linkStarted = performance.now();
await Promise.all(Array.from({ length: input.linkParallel }, async () => {
  while (nextLink < n) { const i = nextLink++; clients[i] = await link(i, onMessage); }
}));
const linkSeconds = (performance.now() - linkStarted) / 1000;
console.log(`baileys linked ${n} sessions in ${linkSeconds.toFixed(1)} s (${(n / linkSeconds).toFixed(0)}/s, ${input.linkParallel} at a time)`);
await sleep(input.idleSeconds * 1000);
const idle = await rss();
console.log(`baileys idle after ${input.idleSeconds} s (after gc): rss=${mb(idle)} MB, per session ${(idle / n / 1048576).toFixed(3)} MB (whole process / N), ${((idle - empty) / n / 1048576).toFixed(3)} MB above the empty process`);
if (input.messages > 0 && n >= 2) {
  await sendPhase(clients, 'warm', 100, 1);
  await sendPhase(clients, 'one', Math.min(input.messages, 1000), 1);
  await sendPhase(clients, 'twenty', Math.min(input.messages, 4000), 20);
}
for (const c of clients) c?.sock?.end(undefined);
process.exit(0);
