// Cross-checks the .NET node codec with stock Baileys in one process.
// stdin: {nodes: [node json...], encoded: [base64 of our encoding...], frames: [base64 of frame plaintexts...]}
// stdout: {baileysEncoded: [base64 of encodeBinaryNode, which starts with the frame flag 0], decodedOurs: [node json | {error}], decodedFrames: [node json | {error}],
//          baileysDeflatedFrames: [base64 of flag 2 + zlib(Baileys' encoding)]}
import { deflateSync } from 'zlib';
import { encodeBinaryNode, decodeBinaryNode, decodeDecompressedBinaryNode } from '@whiskeysockets/baileys/lib/WABinary/index.js';
import * as constants from '@whiskeysockets/baileys/lib/WABinary/constants.js';
import { toBaileys, fromBaileys, readStdin } from './nodejson.mjs';

const input = JSON.parse(await readStdin());
const guard = (f) => { try { return f(); } catch (e) { return { error: String(e.message) }; } };

const baileysEncoded = [];
const baileysDeflatedFrames = [];
for (const json of input.nodes) {
    const bytes = encodeBinaryNode(toBaileys(json));
    baileysEncoded.push(bytes.toString('base64'));
    baileysDeflatedFrames.push(Buffer.concat([Buffer.from([2]), deflateSync(bytes.subarray(1))]).toString('base64'));
}

const decodedOurs = input.encoded.map((b64) =>
    guard(() => fromBaileys(decodeDecompressedBinaryNode(Buffer.from(b64, 'base64'), constants))));

const decodedFrames = [];
for (const b64 of input.frames) {
    try {
        decodedFrames.push(fromBaileys(await decodeBinaryNode(Buffer.from(b64, 'base64'))));
    } catch (e) {
        decodedFrames.push({ error: String(e.message) });
    }
}

process.stdout.write(JSON.stringify({ baileysEncoded, decodedOurs, decodedFrames, baileysDeflatedFrames }));
