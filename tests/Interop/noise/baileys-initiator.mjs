// Stock Baileys' noise handler as the initiator against a responder on a loopback WebSocket.
// stdin: {url, rootPublicKey, clientPayload, reply} (hex); stdout: {noisePublicKey, received} (hex).
// After the handshake it waits for one transport frame (a binary node with bytes content) and answers
// with one transport frame carrying `reply`.
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { proto } from '@whiskeysockets/baileys/WAProto/index.js';
import { NOISE_WA_HEADER, WA_CERT_DETAILS } from '@whiskeysockets/baileys/lib/Defaults/index.js';
import { makeNoiseHandler } from '@whiskeysockets/baileys/lib/Utils/noise-handler.js';
import { Curve } from '@whiskeysockets/baileys/lib/Utils/crypto.js';

const input = JSON.parse(readFileSync(0, 'utf8'));
// The documented seam for an emulator with its own root (protocol notes, section 0).
WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(input.rootPublicKey, 'hex');

const quiet = { level: 'info', child() { return quiet; }, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const ephemeral = Curve.generateKeyPair();
const noiseKey = Curve.generateKeyPair();
const noise = makeNoiseHandler({ keyPair: ephemeral, NOISE_HEADER: NOISE_WA_HEADER, logger: quiet });

const ws = new WebSocket(input.url, { origin: 'https://web.whatsapp.com' });
const frames = [];
let wake = null;
ws.on('message', (data) => noise.decodeFrame(data, (frame) => { frames.push(frame); wake?.(); }));
const nextFrame = async () => {
  while (frames.length === 0) {
    await new Promise((resolve, reject) => {
      wake = resolve;
      setTimeout(() => reject(new Error('timed out waiting for a frame')), 10000).unref();
    });
  }
  return frames.shift();
};
await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });

ws.send(noise.encodeFrame(proto.HandshakeMessage.encode({ clientHello: { ephemeral: ephemeral.public } }).finish()));
const serverHello = proto.HandshakeMessage.decode(await nextFrame());
const encryptedStatic = noise.processHandshake(serverHello, noiseKey);
const encryptedPayload = noise.encrypt(Buffer.from(input.clientPayload, 'hex'));
ws.send(noise.encodeFrame(proto.HandshakeMessage.encode({
  clientFinish: { static: encryptedStatic, payload: encryptedPayload },
}).finish()));
await noise.finishInit();

const node = await nextFrame();
ws.send(noise.encodeFrame(Buffer.from(input.reply, 'hex')));
process.stdout.write(JSON.stringify({
  noisePublicKey: Buffer.from(noiseKey.public).toString('hex'),
  tag: node.tag,
  received: Buffer.from(node.content).toString('hex'),
}));
ws.close();
