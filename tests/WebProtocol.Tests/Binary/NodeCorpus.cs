using System.Globalization;
using System.Text;
using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Tests.Binary;

/// <summary>
/// A seeded generator of realistic stanzas (iq, message with participants and enc, receipt, ack, pair-device,
/// pair-success, usync, prekey upload) plus edge cases: every JID kind, byte content at the 255/256 and 2^20
/// boundaries, odd and even packed strings, 127/128-character strings and a list of more than 255 children.
/// Every node is canonical: decoding its encoding gives it back, except that raw-string text content comes back
/// as bytes (see <see cref="ExpectedAfterRoundTrip"/>). Shared with the benchmarks.
/// </summary>
public sealed class NodeCorpus
{
    public const int DefaultSeed = 20240607;

    // Strings Baileys looks up in a plain object (TOKEN_MAP[str]) would hit Object.prototype members; avoid them.
    private static readonly string[] Words =
    [
        "hello", "Olá mundo", "günter", "ok", "😀 smile", "a b c", "x-y", "Zed", "lorem ipsum dolor", "tab\tchar",
        "ÿ", "中文", "key=value", "#tag", "line\nbreak", "QUOTE\"", "back\\slash", "mixedCase09",
    ];

    private static readonly string[] Jids =
    [
        "5511987654321@s.whatsapp.net", "5511987654321:12@s.whatsapp.net", "447700900123:1@s.whatsapp.net",
        "123456789012345@lid", "123456789012345:7@lid", "98765432109876:255@lid",
        "120363012345678901@g.us", "5511987654321-1600000000@g.us", "status@broadcast", "1600000000@broadcast",
        "120363123456789012@newsletter", "5511987654321@hosted", "5511987654321:99@hosted",
        "123456789012345@hosted.lid", "123456789012345:99@hosted.lid", "867051314767696@bot",
        "13135550002@c.us", "0@c.us", "@s.whatsapp.net", "@g.us", "@lid", "server@c.us", "12345@msgr",
    ];

    private readonly Random random;

    private NodeCorpus(int seed)
    {
        random = new Random(seed);
    }

    public static IReadOnlyList<Node> Generate(int count = 600, int seed = DefaultSeed)
    {
        var corpus = new NodeCorpus(seed);
        var nodes = new List<Node>(count) { corpus.PreKeyUpload(812), corpus.Boundaries(), corpus.PackedEdges() };
        foreach (var jid in Jids)
        {
            nodes.Add(new Node("presence", new() { ["from"] = jid, ["to"] = jid, ["type"] = "available" }, jid));
        }

        while (nodes.Count < count)
        {
            nodes.Add(corpus.NextStanza());
        }

        return nodes;
    }

    /// <summary>What any decoder yields for <paramref name="node"/>: text that goes out as raw UTF-8 comes back as bytes.</summary>
    public static Node ExpectedAfterRoundTrip(Node node) => node.ContentKind switch
    {
        NodeContentKind.Text when IsRawOnWire(node.Text!) =>
            new Node(node.Tag, node.Attributes, Encoding.UTF8.GetBytes(node.Text!)),
        NodeContentKind.Children =>
            new Node(node.Tag, node.Attributes, node.Children.Select(ExpectedAfterRoundTrip).ToArray()),
        _ => node,
    };

    private static bool IsRawOnWire(string text) =>
        text.Length == 0
        || (!TokenDictionary.TryGetToken(text, out _, out _)
            && !(text.Length <= BinaryTags.PackedMax && text.All(c => char.IsAsciiDigit(c) || c is '-' or '.'))
            && !(text.Length <= BinaryTags.PackedMax && text.All(c => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F'))
            && !text.Contains('@', StringComparison.Ordinal));

    private Node NextStanza() => random.Next(9) switch
    {
        0 => Iq(),
        1 => Message(),
        2 => Receipt(),
        3 => Ack(),
        4 => PairDevice(),
        5 => PairSuccess(),
        6 => Usync(),
        7 => PreKeyUpload(random.Next(1, 40)),
        _ => Notification(),
    };

    private Node Iq() => new("iq", new()
    {
        ["id"] = IqId(),
        ["to"] = "@s.whatsapp.net",
        ["type"] = Pick("get", "set", "result"),
        ["xmlns"] = Pick("w:p", "encrypt", "md", "privacy", "w:profile:picture", "usync", "passive"),
    }, random.Next(3) == 0 ? [new Node("ping")] : [new Node(Pick("config", "privacy", "list"), new() { ["t"] = Timestamp() })]);

    private Node Message()
    {
        var participants = new List<Node>();
        var count = random.Next(1, 6);
        for (var i = 0; i < count; i++)
        {
            participants.Add(new Node("to", new() { ["jid"] = Jid() }, [Enc()]));
        }

        var children = new List<Node> { new("participants", null, participants) };
        if (random.Next(2) == 0)
        {
            children.Add(new Node("device-identity", null, Bytes(random.Next(100, 200))));
        }

        return new Node("message", new()
        {
            ["id"] = MessageId(),
            ["to"] = Jid(),
            ["type"] = Pick("text", "media", "reaction"),
            ["t"] = Timestamp(),
        }, children);
    }

    private Node Enc() => new("enc", new()
    {
        ["v"] = "2",
        ["type"] = Pick("pkmsg", "msg", "skmsg"),
    }, Bytes(random.Next(32, 600)));

    private Node Receipt()
    {
        var attributes = new NodeAttributes { ["id"] = MessageId(), ["to"] = Jid(), ["t"] = Timestamp() };
        if (random.Next(2) == 0)
        {
            attributes["participant"] = Jid();
            attributes["type"] = Pick("read", "read-self", "played", "retry", "sender");
        }

        var items = Enumerable.Range(0, random.Next(0, 5)).Select(_ => new Node("item", new() { ["id"] = MessageId() })).ToArray();
        return items.Length == 0 ? new Node("receipt", attributes) : new Node("receipt", attributes, [new Node("list", null, items)]);
    }

    private Node Ack() => new("ack", new()
    {
        ["class"] = Pick("receipt", "message", "notification", "call"),
        ["id"] = MessageId(),
        ["to"] = Jid(),
        ["participant"] = Jid(),
        ["type"] = Pick("text", "read", "devices"),
    });

    private Node PairDevice()
    {
        var refs = Enumerable.Range(0, 6)
            .Select(_ => new Node("ref", null, Encoding.ASCII.GetBytes(Convert.ToBase64String(Bytes(random.Next(60, 90))))))
            .ToArray();
        return new Node("iq", new() { ["from"] = "@s.whatsapp.net", ["type"] = "set", ["id"] = IqId(), ["xmlns"] = "md" },
            [new Node("pair-device", null, refs)]);
    }

    private Node PairSuccess() => new("iq", new() { ["from"] = "@s.whatsapp.net", ["type"] = "set", ["id"] = IqId(), ["xmlns"] = "md" },
    [
        new Node("pair-success", null,
        [
            new Node("device-identity", new() { ["key-index"] = random.Next(1, 40).ToString(CultureInfo.InvariantCulture) }, Bytes(random.Next(150, 260))),
            new Node("platform", new() { ["name"] = Pick("Chrome", "smba", "smbi") }),
            new Node("device", new() { ["jid"] = "5511987654321:" + random.Next(1, 99).ToString(CultureInfo.InvariantCulture) + "@s.whatsapp.net", ["lid"] = "123456789012345:" + random.Next(1, 99).ToString(CultureInfo.InvariantCulture) + "@lid" }),
            new Node("biz", new() { ["name"] = Word() }),
        ]),
    ]);

    private Node Usync()
    {
        var users = Enumerable.Range(0, random.Next(1, 8)).Select(_ => new Node("user", new() { ["jid"] = Jid() })).ToArray();
        return new Node("iq", new() { ["id"] = IqId(), ["to"] = "@s.whatsapp.net", ["type"] = "get", ["xmlns"] = "usync" },
        [
            new Node("usync", new() { ["sid"] = IqId(), ["mode"] = "query", ["last"] = "true", ["index"] = "0", ["context"] = Pick("message", "interactive") },
            [
                new Node("query", null, [new Node("devices", new() { ["version"] = "2" }), new Node("lid")]),
                new Node("list", null, users),
            ]),
        ]);
    }

    private Node PreKeyUpload(int keyCount)
    {
        var keys = Enumerable.Range(1, keyCount)
            .Select(i => new Node("key", null, [new Node("id", null, [(byte)(i >> 16), (byte)(i >> 8), (byte)i]), new Node("value", null, Bytes(32))]))
            .ToArray();
        return new Node("iq", new() { ["xmlns"] = "encrypt", ["type"] = "set", ["to"] = "@s.whatsapp.net", ["id"] = IqId() },
        [
            new Node("registration", null, Bytes(4)),
            new Node("type", null, [5]),
            new Node("identity", null, Bytes(32)),
            new Node("list", null, keys),
            new Node("skey", null, [new Node("id", null, Bytes(3)), new Node("value", null, Bytes(32)), new Node("signature", null, Bytes(64))]),
        ]);
    }

    private Node Notification() => new("notification", new()
    {
        ["from"] = Jid(),
        ["id"] = IqId(),
        ["type"] = Pick("devices", "encrypt", "w:gp2", "account_sync"),
        ["t"] = Timestamp(),
        [Pick("notify", "name", "reason")] = Word(),
    }, random.Next(2) == 0 ? Word() : Pick("available", "unavailable"));

    private Node Boundaries()
    {
        int[] sizes = [0, 1, 255, 256, (1 << 20) - 1, 1 << 20];
        var children = sizes.Select(size => new Node("bytes", new() { ["size"] = size.ToString(CultureInfo.InvariantCulture) }, Bytes(size))).ToList();
        foreach (var length in new[] { 84, 85, 86, 255, 256, 300 })
        {
            // 3-byte characters straddle the BINARY_8 limit; plain ASCII hits 255/256 exactly.
            children.Add(new Node("text", new() { ["value"] = new string('€', length / 3) + new string('x', length % 3) }, new string('y', length)));
        }

        children.Add(new Node("empty", new() { ["value"] = "" }, ""));
        children.Add(new Node("list", null, Array.Empty<Node>()));
        return new Node("boundaries", null, children);
    }

    private Node PackedEdges()
    {
        var children = new List<Node>();
        foreach (var length in new[] { 1, 2, 3, 126, 127, 128 })
        {
            children.Add(new Node("nibble", new() { ["v"] = Nibbles(length) }, Nibbles(length)));
            children.Add(new Node("hex", new() { ["v"] = Hex(length) }, Hex(length)));
        }

        return new Node("packed", null, children);
    }

    private string Jid() => Jids[random.Next(Jids.Length)];

    private string Word() => Words[random.Next(Words.Length)];

    private string Pick(params string[] options) => options[random.Next(options.Length)];

    private string IqId() => random.Next(1000, 99999).ToString(CultureInfo.InvariantCulture) + "." + random.Next(1000, 99999).ToString(CultureInfo.InvariantCulture) + "-" + random.Next(1, 500).ToString(CultureInfo.InvariantCulture);

    private string MessageId() => random.Next(3) == 0 ? "3EB0" + Hex(random.Next(14, 19)) : Hex(random.Next(16, 33));

    private string Timestamp() => (1_700_000_000 + random.Next(100_000_000)).ToString(CultureInfo.InvariantCulture);

    private string Nibbles(int length) => new(Enumerable.Range(0, length).Select(_ => "0123456789-."[random.Next(12)]).ToArray());

    private string Hex(int length)
    {
        // At least one letter, or the string would be nibble-packed instead.
        var chars = Enumerable.Range(0, length).Select(_ => "0123456789ABCDEF"[random.Next(16)]).ToArray();
        chars[random.Next(length)] = "ABCDEF"[random.Next(6)];
        return new string(chars);
    }

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
