// A Signal peer built from stock npm libsignal 6.0.0 and Baileys' group cipher, driven by line-delimited
// JSON on stdin: one command per line, one JSON answer per line on stdout. Binary values are base64.
// Keys cross the boundary in their 32-byte form; libsignal's 33-byte form (0x05 prefix) stays in here.
import readline from 'node:readline';
import libsignal from 'libsignal';
import {
  GroupCipher,
  GroupSessionBuilder,
  SenderKeyDistributionMessage,
  SenderKeyName,
  SenderKeyRecord,
} from '@whiskeysockets/baileys/lib/Signal/Group/index.js';

const { curve, keyhelper, ProtocolAddress, SessionBuilder, SessionCipher, SessionRecord } = libsignal;

const b64 = (buffer) => Buffer.from(buffer).toString('base64');
const buf = (text) => Buffer.from(text, 'base64');
const with05 = (key32) => Buffer.concat([Buffer.from([5]), buf(key32)]);
const strip05 = (key) => b64(key.length === 33 ? key.subarray(1) : key);

const identity = keyhelper.generateIdentityKeyPair();
const registrationId = keyhelper.generateRegistrationId();
const preKeys = new Map();
const signedPreKeys = new Map();
const sessions = new Map();
const senderKeys = new Map();

// Sessions are stored serialised, as Baileys does, so a failed decrypt cannot leave half-changed state.
const store = {
  getOurIdentity: async () => identity,
  getOurRegistrationId: async () => registrationId,
  isTrustedIdentity: async () => true,
  loadPreKey: async (id) => preKeys.get(Number(id)),
  removePreKey: async (id) => { preKeys.delete(Number(id)); },
  loadSignedPreKey: async (id) => signedPreKeys.get(Number(id)),
  loadSession: async (address) => {
    const data = sessions.get(address);
    return data ? SessionRecord.deserialize(JSON.parse(data)) : undefined;
  },
  storeSession: async (address, record) => { sessions.set(address, JSON.stringify(record.serialize())); },
};

const groupStore = {
  loadSenderKey: async (name) => {
    const data = senderKeys.get(name.toString());
    return data ? SenderKeyRecord.deserialize(Buffer.from(data)) : new SenderKeyRecord();
  },
  storeSenderKey: async (name, record) => {
    senderKeys.set(name.toString(), JSON.stringify(record.serialize(), (key, value) =>
      value && value.type === 'Buffer' && Array.isArray(value.data)
        ? { type: 'Buffer', data: Buffer.from(value.data).toString('base64') }
        : value));
  },
};

const address = (a) => new ProtocolAddress(a.name, a.device);
const senderKeyName = (group, sender) => new SenderKeyName(group, { id: sender.name, deviceId: sender.device, toString: () => `${sender.name}.${sender.device}` });

const commands = {
  identity: async () => ({ identityKey: strip05(identity.pubKey), registrationId }),

  bundle: async ({ signedPreKeyId, preKeyId }) => {
    const signed = keyhelper.generateSignedPreKey(identity, signedPreKeyId);
    signedPreKeys.set(signedPreKeyId, signed.keyPair);
    const bundle = {
      registrationId,
      identityKey: strip05(identity.pubKey),
      signedPreKeyId,
      signedPreKey: strip05(signed.keyPair.pubKey),
      signedPreKeySignature: b64(signed.signature),
    };
    if (preKeyId !== undefined) {
      const preKey = keyhelper.generatePreKey(preKeyId);
      preKeys.set(preKeyId, preKey.keyPair);
      bundle.preKeyId = preKeyId;
      bundle.preKey = strip05(preKey.keyPair.pubKey);
    }
    return bundle;
  },

  processBundle: async ({ to, bundle }) => {
    const device = {
      registrationId: bundle.registrationId,
      identityKey: with05(bundle.identityKey),
      signedPreKey: { keyId: bundle.signedPreKeyId, publicKey: with05(bundle.signedPreKey), signature: buf(bundle.signedPreKeySignature) },
    };
    if (bundle.preKey) {
      device.preKey = { keyId: bundle.preKeyId, publicKey: with05(bundle.preKey) };
    }
    await new SessionBuilder(store, address(to)).initOutgoing(device);
    return {};
  },

  encrypt: async ({ to, plaintext }) => {
    const result = await new SessionCipher(store, address(to)).encrypt(buf(plaintext));
    return { type: result.type, body: b64(Buffer.from(result.body, 'binary')) };
  },

  decrypt: async ({ from, type, body }) => {
    const cipher = new SessionCipher(store, address(from));
    const plaintext = type === 3
      ? await cipher.decryptPreKeyWhisperMessage(buf(body))
      : await cipher.decryptWhisperMessage(buf(body));
    return { plaintext: b64(plaintext) };
  },

  deleteSession: async ({ with: peer }) => { sessions.delete(address(peer).toString()); return {}; },

  sign: async ({ privateKey, message }) => ({ signature: b64(curve.calculateSignature(buf(privateKey), buf(message))) }),

  verify: async ({ publicKey, message, signature }) =>
    ({ valid: curve.verifySignature(with05(publicKey), buf(message), buf(signature)) }),

  publicKey: async ({ privateKey }) => ({ publicKey: strip05(curve.getPublicFromPrivateKey(buf(privateKey))) }),

  groupCreate: async ({ group, sender }) => {
    const message = await new GroupSessionBuilder(groupStore).create(senderKeyName(group, sender));
    return { distribution: b64(message.serialize()) };
  },

  groupProcess: async ({ group, sender, distribution }) => {
    const message = new SenderKeyDistributionMessage(null, null, null, null, buf(distribution));
    await new GroupSessionBuilder(groupStore).process(senderKeyName(group, sender), message);
    return {};
  },

  groupEncrypt: async ({ group, sender, plaintext }) =>
    ({ ciphertext: b64(await new GroupCipher(groupStore, senderKeyName(group, sender)).encrypt(buf(plaintext))) }),

  groupDecrypt: async ({ group, sender, ciphertext }) =>
    ({ plaintext: b64(await new GroupCipher(groupStore, senderKeyName(group, sender)).decrypt(buf(ciphertext))) }),
};

// libsignal logs to the console; keep stdout for answers only.
console.log = console.info = console.warn = console.error = (...args) => process.stderr.write(args.join(' ') + '\n');

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    const request = JSON.parse(line);
    const handler = commands[request.cmd];
    if (!handler) throw new Error(`unknown command ${request.cmd}`);
    answer = { ok: true, ...(await handler(request)) };
  } catch (e) {
    answer = { ok: false, error: String(e && e.name ? `${e.name}: ${e.message}` : e) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
