// Times Baileys' encodeBinaryNode / decodeDecompressedBinaryNode over the corpus that
// tests/Benchmarks (BinaryCodecBenchmarks) exports. Usage: node binary/bench.mjs <corpus.json>
import { readFileSync } from 'fs';
import { encodeBinaryNode, decodeDecompressedBinaryNode } from '@whiskeysockets/baileys/lib/WABinary/index.js';
import * as constants from '@whiskeysockets/baileys/lib/WABinary/constants.js';
import { toBaileys } from './nodejson.mjs';

const corpus = JSON.parse(readFileSync(process.argv[2], 'utf8')).nodes.map(toBaileys);
const stanzas = corpus.filter((n) => n.tag !== 'boundaries');

function time(name, fn) {
    for (let i = 0; i < 5; i++) fn(); // warm up the JIT
    let runs = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0n;
    while (elapsed < 3_000_000_000n || runs < 10) {
        fn();
        runs++;
        elapsed = process.hrtime.bigint() - start;
    }
    const msPerOp = Number(elapsed) / 1e6 / runs;
    console.log(`${name}: ${msPerOp.toFixed(3)} ms per pass (${runs} passes)`);
}

for (const [label, nodes] of [['Corpus', corpus], ['Stanzas', stanzas]]) {
    // encodeBinaryNode prepends the frame flag; the decoder takes the node after it, as ours does.
    const encoded = nodes.map((n) => encodeBinaryNode(n).subarray(1));
    console.log(`${label}: ${nodes.length} nodes, ${encoded.reduce((s, b) => s + b.length, 0)} bytes`);
    time(`Encode${label}`, () => { let t = 0; for (const n of nodes) t += encodeBinaryNode(n).length; return t; });
    time(`Decode${label}`, () => { let t = 0; for (const b of encoded) t += Object.keys(decodeDecompressedBinaryNode(b, constants).attrs).length; return t; });
}
