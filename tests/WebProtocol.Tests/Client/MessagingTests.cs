using System.Buffers.Binary;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client;
using Gateway.WebProtocol.Client.Send;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;
using Gateway.WebProtocol.Tests.Signal;
using Google.Protobuf;
using static Gateway.WebProtocol.Tests.Client.TestNodes;

namespace Gateway.WebProtocol.Tests.Client;

/// <summary>1:1 messages between the client and a Signal peer played by the scripted server.</summary>
public sealed class MessagingTests
{
    private const string PeerPn = "15550002222@s.whatsapp.net";
    private const string PeerLid = "55554444@lid";
    private static readonly ProtocolAddress ClientAddress = new("99887766_1", 3);

    [Fact]
    public async Task Send_fans_out_to_the_peer_by_lid_with_device_identity_and_the_peer_decrypts()
    {
        await using var harness = ClientHarness.Create(20);
        await harness.PairAndLoginAsync();
        var peer = new SignalParty("peer", new SeededRandom(21));
        var bundle = await peer.CreateBundleAsync();
        var session = harness.Session!;

        using var timeout = ClientHarness.Timeout();
        var send = harness.Client.SendTextAsync(Gateway.WebProtocol.Types.Jid.Parse(PeerPn), "hello peer", timeout.Token);
        var usync = await session.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("xmlns") == "usync");
        await session.SendAsync(ServerSession.Result(usync, UsyncAnswer(
            UsyncUser(PeerPn, PeerLid, ("0", null)),
            UsyncUser("15550001111@s.whatsapp.net", null, ("0", null), ("3", "1")))));
        var fetch = await session.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("xmlns") == "encrypt" && node.GetChild("key") is not null);
        var asked = fetch.GetChild("key")!.GetChildren("user").Select(user => user.GetAttribute("jid")).ToArray();
        Assert.Contains(PeerLid, asked);
        Assert.DoesNotContain("99887766:3@lid", asked);
        await session.SendAsync(ServerSession.Result(fetch, N("list", [], BundleNode(PeerLid, bundle))));

        var stanza = await session.ExpectAsync(node => node.Tag == "message");
        await AckAsync(session, stanza);
        var id = await send;
        Assert.Equal(id, stanza.GetAttribute("id"));
        Assert.Matches("^3EB0[0-9A-F]{18}$", id);
        Assert.Equal(PeerPn, stanza.GetAttribute("to"));
        Assert.Equal("text", stanza.GetAttribute("type"));
        Assert.NotNull(stanza.GetChild("device-identity"));
        var to = Assert.Single(stanza.GetChild("participants")!.Children);
        Assert.Equal(PeerLid, to.GetAttribute("jid"));
        var enc = to.GetChild("enc")!;
        Assert.Equal("pkmsg", enc.GetAttribute("type"));
        var plaintext = await peer.Cipher.DecryptPreKeySignalMessageAsync(ClientAddress, enc.Bytes, default);
        var message = Message.Parser.ParseFrom(MessagePadding.Unpad(plaintext).Span);
        Assert.Equal("hello peer", message.ExtendedTextMessage.Text);
        Assert.Equal(32, message.MessageContextInfo.MessageSecret.Length);

        Assert.Equal(MessageStatus.Sent, (await harness.NextEventAsync<MessageStatusEvent>()).Status);
        await session.SendAsync(N("receipt", ("id", id), ("from", PeerLid), ("t", "2")));
        Assert.Equal(MessageStatus.Delivered, (await harness.NextEventAsync<MessageStatusEvent>()).Status);
        await session.SendAsync(N("receipt", ("id", id), ("from", PeerLid), ("type", "read"), ("t", "3")));
        var read = await harness.NextEventAsync<MessageStatusEvent>();
        Assert.Equal((id, MessageStatus.Read), (read.MessageId, read.Status));
        var receiptAck = await session.ExpectAsync(node => node.Tag == "ack" && node.GetAttribute("class") == "receipt");
        Assert.Equal(id, receiptAck.GetAttribute("id"));
    }

    [Fact]
    public async Task A_send_returns_after_the_server_ack_and_a_refusal_throws()
    {
        await using var harness = ClientHarness.Create(27);
        await harness.PairAndLoginAsync();
        var peer = new SignalParty("peer", new SeededRandom(28));
        var bundle = await peer.CreateBundleAsync();
        var session = harness.Session!;
        var to = Gateway.WebProtocol.Types.Jid.Parse(PeerPn);

        using var timeout = ClientHarness.Timeout();
        var first = harness.Client.SendMessageAsync(to, OutgoingContent.Text("first"), timeout.Token, "M1");
        var usync = await session.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("xmlns") == "usync");
        await session.SendAsync(ServerSession.Result(usync, UsyncAnswer(UsyncUser(PeerPn, PeerLid, ("0", null)))));
        var fetch = await session.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("xmlns") == "encrypt");
        await session.SendAsync(ServerSession.Result(fetch, N("list", [], BundleNode(PeerLid, bundle))));
        var stanza = await session.ExpectAsync(node => node.Tag == "message");
        await Task.Delay(100);
        Assert.False(first.IsCompleted); // written, but not acknowledged yet
        await session.SendAsync(N("ack", ("class", "message"), ("id", "M1"), ("from", PeerPn), ("t", "1700000000")));
        var result = await first;
        Assert.Equal(("M1", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)), (result.MessageId, result.ServerTimestamp));
        Assert.Equal("M1", stanza.GetAttribute("id"));

        var second = harness.Client.SendMessageAsync(to, OutgoingContent.Text("second"), timeout.Token, "M2");
        while (await session.ExpectAsync(_ => true) is { Tag: not "message" } asked)
        {
            // The client may look up the device list and keys again.
            await session.SendAsync(asked.GetAttribute("xmlns") == "usync"
                ? ServerSession.Result(asked, UsyncAnswer(UsyncUser(PeerPn, PeerLid, ("0", null))))
                : ServerSession.Result(asked, N("list", [], BundleNode(PeerLid, bundle))));
        }

        await session.SendAsync(N("ack", ("class", "message"), ("id", "M2"), ("from", PeerPn), ("error", "463")));
        var refused = await Assert.ThrowsAsync<MessageRejectedException>(() => second);
        Assert.Equal(("M2", 463), (refused.MessageId, refused.Code));
    }

    [Fact]
    public async Task Inbound_message_reaches_the_handler_before_its_receipt_and_a_failed_handler_is_not_acknowledged()
    {
        var journal = new List<string>();
        var failNext = true;
        await using var harness = ClientHarness.Create(22, options => options with
        {
            MessageHandler = (message, _) =>
            {
                lock (journal)
                {
                    if (failNext)
                    {
                        failNext = false;
                        journal.Add("failed " + message.Id);
                        throw new IOException("disk full");
                    }

                    journal.Add("handled " + message.Id);
                }

                return Task.CompletedTask;
            },
        });
        await harness.PairAndLoginAsync();
        var peer = new SignalParty("peer", new SeededRandom(23));
        await peer.Builder.ProcessBundleAsync(ClientAddress, ClientBundle(harness.Upload!), default);
        var session = harness.Session!;

        var m1 = await IncomingAsync(peer, "M1", "first");
        await session.SendAsync(m1);
        await session.SendAsync(await IncomingAsync(peer, "M2", "second"));
        var receipt = await session.ExpectAsync(node => node.Tag == "receipt");
        lock (journal)
        {
            journal.Add("receipt " + receipt.GetAttribute("id"));
        }

        // M1's handler threw: no receipt for it; M2 was handled before its receipt left.
        Assert.Equal(["failed M1", "handled M2", "receipt M2"], journal);
        Assert.Equal(PeerPn, receipt.GetAttribute("to"));
        var ack = await session.ExpectAsync(node => node.Tag == "ack");
        Assert.Equal(("M2", "message"), (ack.GetAttribute("id"), ack.GetAttribute("class")));
        var received = await harness.NextEventAsync<MessageReceivedEvent>();
        Assert.Equal("second", received.Message.Text);
        Assert.Equal(PeerLid, received.Message.SenderLid.ToString());

        // The server delivers M1 again: it comes from the buffer (its message key is spent, a second decrypt would
        // fail), reaches the handler and gets a normal receipt, not a retry receipt.
        await session.SendAsync(m1);
        var again = await session.ExpectAsync(node => node.Tag == "receipt");
        Assert.Equal(("M1", null), (again.GetAttribute("id"), again.GetAttribute("type")));
        lock (journal)
        {
            Assert.Equal("handled M1", journal[^1]);
        }
    }

    [Fact]
    public async Task A_message_that_does_not_decrypt_gets_a_retry_receipt_with_keys_from_the_second_try()
    {
        await using var harness = ClientHarness.Create(24);
        await harness.PairAndLoginAsync();
        var session = harness.Session!;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await session.SendAsync(N("message", [("from", PeerPn), ("id", "BAD1"), ("t", "5"), ("type", "text")],
                B("enc", [0x33, 1, 2, 3, 4], ("v", "2"), ("type", "msg"))));
            var retry = await session.ExpectAsync(node => node.Tag == "receipt");
            Assert.Equal("retry", retry.GetAttribute("type"));
            Assert.Equal(attempt.ToString(System.Globalization.CultureInfo.InvariantCulture), retry.GetChild("retry")!.GetAttribute("count"));
            Assert.Equal(4, retry.GetChild("registration")!.Bytes!.Length);
            Assert.Equal(attempt > 1, retry.GetChild("keys") is not null);
            var failed = await harness.NextEventAsync<DecryptionFailedEvent>();
            Assert.Equal(attempt, failed.RetryCount);
        }
    }

    [Fact]
    public async Task A_retry_receipt_with_keys_makes_the_client_send_that_device_a_new_copy()
    {
        await using var harness = ClientHarness.Create(25);
        await harness.PairAndLoginAsync();
        var session = harness.Session!;
        var peer = new SignalParty("peer", new SeededRandom(26));
        var first = await peer.CreateBundleAsync();
        using var timeout = ClientHarness.Timeout();
        var send = harness.Client.SendTextAsync(Gateway.WebProtocol.Types.Jid.Parse(PeerPn), "again", timeout.Token);
        var usync = await session.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("xmlns") == "usync");
        await session.SendAsync(ServerSession.Result(usync, UsyncAnswer(UsyncUser(PeerPn, PeerLid, ("0", null)))));
        var fetch = await session.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("xmlns") == "encrypt");
        await session.SendAsync(ServerSession.Result(fetch, N("list", [], BundleNode(PeerLid, first))));
        await AckAsync(session, await session.ExpectAsync(node => node.Tag == "message"));
        var id = await send;

        // The peer lost its session: it asks again with a fresh bundle in the receipt.
        var fresh = await peer.CreateBundleAsync();
        var registration = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(registration, fresh.RegistrationId);
        await session.SendAsync(N("receipt", [("id", id), ("from", PeerLid), ("type", "retry"), ("t", "9")],
            N("retry", ("count", "2"), ("id", id), ("t", "9"), ("v", "1")),
            B("registration", registration),
            N("keys", [], B("type", [5]), B("identity", fresh.IdentityKey),
                N("key", [], B("id", Id3(fresh.PreKeyId!.Value)), B("value", fresh.PreKey!)),
                N("skey", [], B("id", Id3(fresh.SignedPreKeyId)), B("value", fresh.SignedPreKey), B("signature", fresh.SignedPreKeySignature)))));
        var resend = await session.ExpectAsync(node => node.Tag == "message");
        Assert.Equal(id, resend.GetAttribute("id"));
        Assert.Equal(PeerLid, resend.GetAttribute("to"));
        var enc = resend.GetChild("enc")!;
        Assert.Equal("2", enc.GetAttribute("count"));
        var plaintext = await peer.Cipher.DecryptPreKeySignalMessageAsync(ClientAddress, enc.Bytes, default);
        Assert.Equal("again", Message.Parser.ParseFrom(MessagePadding.Unpad(plaintext).Span).ExtendedTextMessage.Text);
    }

    [Fact]
    public async Task A_document_is_encrypted_uploaded_over_https_sent_and_downloads_to_the_same_bytes()
    {
        await using var media = await TestMediaServer.StartAsync();
        var handler = media.CreateHandler();
        await using var harness = ClientHarness.Create(27, o => o with { MediaHttpHandler = handler });
        await harness.PairAndLoginAsync();
        var session = harness.Session!;
        var peer = new SignalParty("peer", new SeededRandom(28));
        var bundle = await peer.CreateBundleAsync();
        var file = new byte[70_000];
        new SeededRandom(29).GetBytes(file);

        using var timeout = ClientHarness.Timeout();
        var send = harness.Client.SendMediaAsync(
            Gateway.WebProtocol.Types.Jid.Parse(PeerPn),
            new MediaContent(Media.MediaKind.Document, file, "application/pdf") { FileName = "report.pdf", Caption = "the report" },
            timeout.Token);
        var conn = await session.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("xmlns") == "w:m");
        await session.SendAsync(ServerSession.Result(conn, N("media_conn", [("auth", "upload-auth"), ("ttl", "300")], N("host", ("hostname", media.Host)))));
        var usync = await session.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("xmlns") == "usync");
        await session.SendAsync(ServerSession.Result(usync, UsyncAnswer(UsyncUser(PeerPn, PeerLid, ("0", null)))));
        var fetch = await session.ExpectAsync(node => node.Tag == "iq" && node.GetAttribute("xmlns") == "encrypt");
        await session.SendAsync(ServerSession.Result(fetch, N("list", [], BundleNode(PeerLid, bundle))));
        var stanza = await session.ExpectAsync(node => node.Tag == "message");
        await AckAsync(session, stanza);
        await send;

        Assert.Equal("media", stanza.GetAttribute("type"));
        var enc = stanza.GetChild("participants")!.Children[0].GetChild("enc")!;
        Assert.Equal("document", enc.GetAttribute("mediatype"));
        var plaintext = await peer.Cipher.DecryptPreKeySignalMessageAsync(ClientAddress, enc.Bytes, default);
        var message = Message.Parser.ParseFrom(MessagePadding.Unpad(plaintext).Span);
        Assert.Equal(("report.pdf", "the report", (ulong)file.Length), (message.DocumentMessage.FileName, message.DocumentMessage.Caption, message.DocumentMessage.FileLength));
        Assert.StartsWith("?auth=upload-auth&token=", Assert.Single(media.UploadQueries), StringComparison.Ordinal);
        Assert.Equal(file, await harness.Client.DownloadMediaAsync(message, timeout.Token));

        // A flipped byte on the host is caught by the MAC before anything is decrypted.
        media.Files[message.DocumentMessage.DirectPath][100] ^= 1;
        await Assert.ThrowsAsync<Media.MediaException>(() => harness.Client.DownloadMediaAsync(message, timeout.Token));
    }

    /// <summary>The server takes a sent message: the send returns.</summary>
    private static Task AckAsync(ServerSession session, Node stanza) =>
        session.SendAsync(N("ack", ("class", "message"), ("id", stanza.GetAttribute("id")!), ("from", stanza.GetAttribute("to")!), ("t", "1")));

    private static async Task<Node> IncomingAsync(SignalParty peer, string id, string text)
    {
        var padded = MessagePadding.Pad(new Message { Conversation = text }.ToByteArray(), new SeededRandom(id.GetHashCode(StringComparison.Ordinal)));
        var encrypted = await peer.Cipher.EncryptAsync(ClientAddress, padded, default);
        return N("message", [("from", PeerPn), ("id", id), ("t", "1700000001"), ("type", "text"), ("sender_lid", PeerLid), ("notify", "Peer")],
            B("enc", encrypted.Serialized, ("v", "2"), ("type", encrypted.Type == CiphertextType.PreKey ? "pkmsg" : "msg")));
    }

    private static Node UsyncAnswer(params Node[] users) => N("usync", [], N("list", [], users));

    private static Node UsyncUser(string jid, string? lid, params (string Id, string? KeyIndex)[] devices)
    {
        var deviceNodes = devices.Select(d => d.KeyIndex is null ? N("device", ("id", d.Id)) : N("device", ("id", d.Id), ("key-index", d.KeyIndex))).ToArray();
        var children = new List<Node> { N("devices", [], N("device-list", [], deviceNodes)) };
        if (lid is not null)
        {
            children.Add(N("lid", ("val", lid)));
        }

        return N("user", [("jid", jid)], children.ToArray());
    }

    private static Node BundleNode(string jid, PreKeyBundle bundle)
    {
        var registration = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(registration, bundle.RegistrationId);
        return N("user", [("jid", jid)],
            B("registration", registration),
            B("type", [5]),
            B("identity", bundle.IdentityKey),
            N("skey", [], B("id", Id3(bundle.SignedPreKeyId)), B("value", bundle.SignedPreKey), B("signature", bundle.SignedPreKeySignature)),
            N("key", [], B("id", Id3(bundle.PreKeyId!.Value)), B("value", bundle.PreKey!)));
    }

    /// <summary>The client's own bundle, read back from its upload as the server would hand it out.</summary>
    private static PreKeyBundle ClientBundle(Node upload)
    {
        var key = upload.GetChild("list")!.Children[0];
        var skey = upload.GetChild("skey")!;
        return new PreKeyBundle(
            BinaryPrimitives.ReadUInt32BigEndian(upload.GetChild("registration")!.Bytes),
            upload.GetChild("identity")!.Bytes!,
            ReadId(skey.GetChild("id")!.Bytes!),
            skey.GetChild("value")!.Bytes!,
            skey.GetChild("signature")!.Bytes!,
            ReadId(key.GetChild("id")!.Bytes!),
            key.GetChild("value")!.Bytes!);
    }

    private static byte[] Id3(uint id) => [(byte)(id >> 16), (byte)(id >> 8), (byte)id];

    private static uint ReadId(byte[] bytes) => (uint)((bytes[0] << 16) | (bytes[1] << 8) | bytes[2]);
}
