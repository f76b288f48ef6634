// The JSON shape the .NET tests use for nodes: {tag, attrs: [[k, v]...], content: null | {nodes} | {bytes} | {text}}.
// Baileys' own shape: attrs is an object, content is an array, a Uint8Array/Buffer or a string.

export function toBaileys(json) {
    const node = { tag: json.tag, attrs: Object.fromEntries(json.attrs) };
    const c = json.content;
    if (c) {
        if (c.nodes) node.content = c.nodes.map(toBaileys);
        else if (c.bytes !== undefined) node.content = Buffer.from(c.bytes, 'base64');
        else node.content = c.text;
    }
    return node;
}

export function fromBaileys(node) {
    let content = null;
    if (Array.isArray(node.content)) content = { nodes: node.content.map(fromBaileys) };
    else if (node.content instanceof Uint8Array) content = { bytes: Buffer.from(node.content).toString('base64') };
    else if (typeof node.content === 'string') content = { text: node.content };
    else if (node.content !== undefined) throw new Error('unexpected content ' + typeof node.content);
    return { tag: node.tag, attrs: Object.entries(node.attrs), content };
}

export async function readStdin() {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
}
