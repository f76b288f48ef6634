// Times stock libsignal-node for the operations tests/Benchmarks SignalBenchmarks measures: encrypt + decrypt
// of a 100-byte message in an established session, and session setup from a prekey bundle. Sessions are
// stored serialised, as Baileys stores them. Run: node signal/bench.mjs (from tests/Interop).
import libsignal from 'libsignal';

const { keyhelper, ProtocolAddress, SessionBuilder, SessionCipher, SessionRecord } = libsignal;
console.warn = console.info = () => {};

function party() {
  const identity = keyhelper.generateIdentityKeyPair();
  const registrationId = keyhelper.generateRegistrationId();
  const sessions = new Map();
  const preKeys = new Map();
  const signedPreKeys = new Map();
  const store = {
    getOurIdentity: async () => identity,
    getOurRegistrationId: async () => registrationId,
    isTrustedIdentity: async () => true,
    loadPreKey: async (id) => preKeys.get(id),
    removePreKey: async () => {},
    loadSignedPreKey: async (id) => signedPreKeys.get(id),
    loadSession: async (a) => (sessions.has(a) ? SessionRecord.deserialize(JSON.parse(sessions.get(a))) : undefined),
    storeSession: async (a, record) => { sessions.set(a, JSON.stringify(record.serialize())); },
  };
  return { identity, registrationId, preKeys, signedPreKeys, store };
}

const alice = party();
const bob = party();
const signed = keyhelper.generateSignedPreKey(bob.identity, 1);
const preKey = keyhelper.generatePreKey(1);
bob.signedPreKeys.set(1, signed.keyPair);
bob.preKeys.set(1, preKey.keyPair);
const device = {
  registrationId: bob.registrationId,
  identityKey: bob.identity.pubKey,
  signedPreKey: { keyId: 1, publicKey: signed.keyPair.pubKey, signature: signed.signature },
  preKey: { keyId: 1, publicKey: preKey.keyPair.pubKey },
};
const aliceAddress = new ProtocolAddress('alice', 1);
const bobAddress = new ProtocolAddress('bob', 1);
await new SessionBuilder(alice.store, bobAddress).initOutgoing(device);
const aliceCipher = new SessionCipher(alice.store, bobAddress);
const bobCipher = new SessionCipher(bob.store, aliceAddress);
const plaintext = Buffer.alloc(100);
const first = await aliceCipher.encrypt(plaintext);
await bobCipher.decryptPreKeyWhisperMessage(Buffer.from(first.body, 'binary'));
const reply = await bobCipher.encrypt(plaintext);
await aliceCipher.decryptWhisperMessage(Buffer.from(reply.body, 'binary'));

async function time(name, iterations, operation) {
  for (let i = 0; i < Math.min(500, iterations); i++) await operation(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await operation(i);
  const elapsed = Number(process.hrtime.bigint() - start) / 1000;
  console.log(`${name}: ${(elapsed / iterations).toFixed(1)} us/op (${iterations} ops)`);
}

await time('EncryptDecrypt100Bytes', 5000, async () => {
  const message = await aliceCipher.encrypt(plaintext);
  await bobCipher.decryptWhisperMessage(Buffer.from(message.body, 'binary'));
});

await time('SessionSetupFromBundle', 2000, async (i) => {
  await new SessionBuilder(alice.store, new ProtocolAddress(`carol${i}`, 1)).initOutgoing(device);
});
