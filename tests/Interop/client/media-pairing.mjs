// Checks our media encryption and pairing-code key derivation with Baileys' own primitives.
// stdin: {mediaKey, mediaType, body, code, salt} (hex strings); stdout: {plaintext, macOk, pairingKey} (hex)
import { readFileSync } from 'node:fs';
import { getMediaKeys } from '@whiskeysockets/baileys/lib/Utils/messages-media.js';
import { aesDecryptWithIV, hmacSign, derivePairingCodeKey } from '@whiskeysockets/baileys/lib/Utils/crypto.js';

const input = JSON.parse(readFileSync(0, 'utf8'));
const body = Buffer.from(input.body, 'hex');
const { iv, cipherKey, macKey } = await getMediaKeys(Buffer.from(input.mediaKey, 'hex'), input.mediaType);
const ciphertext = body.subarray(0, body.length - 10);
const mac = hmacSign(Buffer.concat([iv, ciphertext]), macKey).subarray(0, 10);
const plaintext = aesDecryptWithIV(ciphertext, cipherKey, iv);
const pairingKey = await derivePairingCodeKey(input.code, Buffer.from(input.salt, 'hex'));
process.stdout.write(JSON.stringify({
  plaintext: plaintext.toString('hex'),
  macOk: Buffer.compare(mac, body.subarray(body.length - 10)) === 0,
  pairingKey: Buffer.from(pairingKey).toString('hex'),
}));
