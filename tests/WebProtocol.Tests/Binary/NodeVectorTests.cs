using Gateway.WebProtocol.Binary;

namespace Gateway.WebProtocol.Tests.Binary;

/// <summary>
/// Hex vectors for every tag kind. The encodable ones are Baileys' encodeBinaryNode output (flag byte dropped);
/// the others (FB_JID, INTEROP_JID, LIST_16 with few items, masked BINARY_20, dictionaries, filler nibbles) are
/// hand-made and were decoded by Baileys' decodeDecompressedBinaryNode to the value given here.
/// </summary>
public sealed class NodeVectorTests
{
    public static TheoryData<string, string> ReferenceEncodings => new()
    {
        // nibble-packed iq id (odd length), JID_PAIR with empty user for the server JID
        { "f8071908ff861234b5678a9f042911fa0003", "<iq id=\"1234.5678-9\" type=\"get\" to=\"@s.whatsapp.net\"/>" },
        { "f8031308fb853eb0a1b2cf", "<message id=\"3EB0A1B2C\"/>" },
        { "f8031308fb043eb0a1b2", "<message id=\"3EB0A1B2\"/>" },
        { "f8021dfc03010203", "<enc>0x010203</enc>" },
        { "f8031a0cf7000cff875511987654321f", "<t jid=\"5511987654321:12@s.whatsapp.net\"/>" },
        { "f8031a0cf70107ff88123456789012345f", "<t jid=\"123456789012345:7@lid\"/>" },
        { "f8031a0cf78063ff82123f", "<t jid=\"123:99@hosted\"/>" },
        { "f8031a0cf78163ff82123f", "<t jid=\"123:99@hosted.lid\"/>" },
        { "f8031a0cfaff031203631c", "<t jid=\"120363@g.us\"/>" },
        { "f801ec00", "<read-self/>" },
        { "f80102", "<xmlstreamend/>" },
        { "f802fc017800", "<x>[]</x>" },
    };

    public static TheoryData<string, string> DecodeOnly => new()
    {
        { "f8031a0cf6fc036162630001cc", "<t jid=\"abc:1@msgr\"/>" },
        { "f8021af5fc013100020003", "<t>'3-1:2@interop'</t>" },
        { "f8021af5fc013100020003cc", "<t>'3-1:2@msgr'</t>" },
        { "f8021af90001f80119", "<t>[<iq/>]</t>" },
        { "f8021afdf00001ab", "<t>0xab</t>" },
        { "f8021afe00000002abcd", "<t>0xabcd</t>" },
        { "f8021aefff", "<t>'1961'</t>" },
        { "f8021aed07", "<t>'fb:thrift_iq'</t>" },
        { "f8021aff01f1", "<t>'\\01'</t>" },
        { "f8021aff80", "<t>''</t>" },
        { "f8021afb81af", "<t>'A'</t>" },
        { "f8031a0cfa0003", "<t jid=\"@s.whatsapp.net\"/>" },
        { "f8021a29", "<t>'get'</t>" },
        { "f8031a0000", "<t =\"\"/>" },
        { "f805190829081a", "<iq id=\"t\"/>" },
        { "f8031a0cf70005fc00", "<t jid=\":5@s.whatsapp.net\"/>" },
        { "f8031a0cf70000ff82123f", "<t jid=\"123@s.whatsapp.net\"/>" },
    };

    public static TheoryData<string> Malformed => new()
    {
        "",
        "f8",
        "f800",
        "f80100",
        "f801f0",
        "f80119aa",
        "f8021afc0501",
        "f8021aff01c0",
        "f8021afa0000",
        "f8021afe7fffffff00",
        "f8021afeffffffff00",
        "f8021af9ffff",
        "f8ff19",
        "f8031a0cf6fc03616263",
        "f8021aef",
        "fa",
    };

    [Theory]
    [MemberData(nameof(ReferenceEncodings))]
    public void Reference_encoding_decodes_to_value_and_consumes_every_byte(string hex, string expected)
    {
        var bytes = Convert.FromHexString(hex + "aa");
        var node = NodeReader.Decode(bytes, out var consumed);
        Assert.Equal(expected, NodeText.Format(node));
        Assert.Equal(bytes.Length - 1, consumed);
    }

    [Theory]
    [MemberData(nameof(ReferenceEncodings))]
    public void Encoder_reproduces_reference_bytes(string hex, string expected)
    {
        var node = NodeReader.Decode(Convert.FromHexString(hex));
        Assert.Equal(expected, NodeText.Format(node));
        Assert.Equal(hex, Convert.ToHexStringLower(NodeWriter.Encode(node)));
    }

    [Theory]
    [MemberData(nameof(DecodeOnly))]
    public void Hand_made_vector_decodes_like_baileys(string hex, string expected)
    {
        var bytes = Convert.FromHexString(hex);
        var node = NodeReader.Decode(bytes, out var consumed);
        Assert.Equal(expected, NodeText.Format(node));
        Assert.Equal(bytes.Length, consumed);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_input_throws_wire_format_exception(string hex)
    {
        Assert.Throws<WireFormatException>(() => NodeReader.Decode(Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData("123_1:2@s.whatsapp.net", "f8031a0cf70102ff82123f")] // agent becomes the domain type: reads back as 123:2@lid
    [InlineData("123:0@s.whatsapp.net", "f8031a0cf70000ff82123f")] // device 0 still takes AD_JID
    [InlineData("123_5@s.whatsapp.net", "f8031a0cfaff82123f03")] // no device: JID_PAIR drops the agent
    [InlineData("abc:x@s.whatsapp.net", "f8031a0cf70000fc03616263")] // NaN device writes 0
    [InlineData("123:258@s.whatsapp.net", "f8031a0cf70002ff82123f")] // device is masked to a byte
    public void Odd_jid_strings_encode_like_baileys(string jid, string hex)
    {
        var node = new Node("t", new() { ["jid"] = jid });
        Assert.Equal(hex, Convert.ToHexStringLower(NodeWriter.Encode(node)));
    }

    [Fact]
    public void Binary_lengths_switch_at_256_and_2_pow_20()
    {
        foreach (var (length, prefix) in new[] { (255, "f8021afcff"), (256, "f8021afd000100"), ((1 << 20) - 1, "f8021afd0fffff"), (1 << 20, "f8021afe00100000") })
        {
            var encoded = NodeWriter.Encode(new Node("t", null, new byte[length]));
            Assert.Equal(prefix, Convert.ToHexStringLower(encoded.AsSpan(0, prefix.Length / 2)));
            Assert.Equal(length + (prefix.Length / 2), encoded.Length);
            Assert.Equal(length, NodeReader.Decode(encoded).Bytes!.Length);
        }
    }

    [Fact]
    public void Lists_switch_to_list16_above_255_children()
    {
        var children = Enumerable.Range(0, 256).Select(_ => new Node("iq")).ToArray();
        var encoded = NodeWriter.Encode(new Node("t", null, children));
        Assert.Equal("f8021af90100", Convert.ToHexStringLower(encoded.AsSpan(0, 6)));
        Assert.Equal(256, NodeReader.Decode(encoded).Children.Count);
    }

    [Fact]
    public void Packed_strings_stop_at_127_characters()
    {
        var nibble127 = NodeWriter.Encode(new Node("t", null, new string('1', 127)));
        Assert.Equal("f8021affc0", Convert.ToHexStringLower(nibble127.AsSpan(0, 5)));
        var raw128 = NodeWriter.Encode(new Node("t", null, new string('1', 128)));
        Assert.Equal("f8021afc80", Convert.ToHexStringLower(raw128.AsSpan(0, 5)));
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_rejected()
    {
        var deep = new List<byte>();
        for (var i = 0; i <= NodeReader.MaxDepth + 1; i++)
        {
            deep.AddRange([0xf8, 0x02, 0x1a, 0xf8, 0x01]);
        }

        deep.AddRange([0xf8, 0x01, 0x1a]);
        Assert.Throws<WireFormatException>(() => NodeReader.Decode(deep.ToArray()));
    }

    [Fact]
    public void Nested_jid_pairs_are_bounded()
    {
        var bytes = new List<byte> { 0xf8, 0x02, 0x1a };
        bytes.AddRange(Enumerable.Repeat((byte)0xfa, 10_000));
        Assert.Throws<WireFormatException>(() => NodeReader.Decode(bytes.ToArray()));
    }

    [Fact]
    public void Try_encode_reports_a_short_destination()
    {
        var node = new Node("iq", new() { ["id"] = "1234.5678-9", ["type"] = "get", ["to"] = "@s.whatsapp.net" });
        Span<byte> small = stackalloc byte[10];
        Assert.False(NodeWriter.TryEncode(node, small, out _));
        Span<byte> exact = stackalloc byte[18];
        Assert.True(NodeWriter.TryEncode(node, exact, out var written));
        Assert.Equal("f8071908ff861234b5678a9f042911fa0003", Convert.ToHexStringLower(exact[..written]));
    }
}
