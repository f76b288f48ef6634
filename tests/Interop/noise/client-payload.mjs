// Encodes Baileys' own registration and login ClientPayloads for the inputs on stdin, as hex.
// stdin: {registrationId, identityPub, signedPreKeyId, signedPreKeyPub, signedPreKeySig, phone, device, pushName}
import { readFileSync } from 'node:fs';
import { proto } from '@whiskeysockets/baileys/WAProto/index.js';
import { generateLoginNode, generateRegistrationNode } from '@whiskeysockets/baileys/lib/Utils/validate-connection.js';
import { Browsers } from '@whiskeysockets/baileys/lib/Utils/browser-utils.js';

const input = JSON.parse(readFileSync(0, 'utf8'));
const config = {
  version: [2, 3000, 1043857760],
  browser: Browsers.macOS('Chrome'),
  countryCode: 'US',
  syncFullHistory: false,
  pushName: input.pushName,
};
const creds = {
  registrationId: input.registrationId,
  signedIdentityKey: { public: Buffer.from(input.identityPub, 'hex') },
  signedPreKey: {
    keyId: input.signedPreKeyId,
    keyPair: { public: Buffer.from(input.signedPreKeyPub, 'hex') },
    signature: Buffer.from(input.signedPreKeySig, 'hex'),
  },
};
const hex = (message) => Buffer.from(proto.ClientPayload.encode(message).finish()).toString('hex');
process.stdout.write(JSON.stringify({
  registration: hex(generateRegistrationNode(creds, config)),
  login: hex(generateLoginNode(`${input.phone}:${input.device}@s.whatsapp.net`, config)),
}));
