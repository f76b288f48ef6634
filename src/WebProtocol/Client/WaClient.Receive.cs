using System.Buffers.Binary;
using System.Globalization;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Client.Devices;
using Gateway.WebProtocol.Client.Prekeys;
using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Client.Send;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;
using Gateway.WebProtocol.Types;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Gateway.WebProtocol.Client;

public sealed partial class WaClient
{
    /// <summary>Retry receipts per message before we give up on it (whatsmeow and Baileys use 5).</summary>
    public const int MaxRetries = 5;

    // Buffered messages acknowledged since the last decrypt: forgotten in the next decrypt's transaction, so an
    // acknowledgement costs no commit of its own (one left behind by a crash is harmless: it is never asked for).
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> acknowledgedBuffered = new();

    /// <summary>
    /// whatsmeow's buffered decrypt: the Signal state a decrypt advances and the plaintext commit in one transaction
    /// of the client's; the application's handler is awaited; only then do the receipt and ack go out. A message
    /// WhatsApp delivers again because the ack never went (the process died) is found in the buffer and goes to the
    /// handler without a second decrypt, with a normal receipt. One that does not decrypt gets a retry receipt (at
    /// most <see cref="MaxRetries"/>).
    /// </summary>
    private async Task HandleMessageAsync(LiveConnection connection, Node node, CancellationToken cancellationToken)
    {
        if (await ReadStanzaAsync(node, cancellationToken).ConfigureAwait(false) is not { } stanza)
        {
            return;
        }

        if (stanza.Encs.Length == 0)
        {
            await SendMessageAckAsync(connection, stanza.Node, cancellationToken).ConfigureAwait(false);
            return;
        }

        var key = BufferKey(stanza);
        ReceivedMessage? received = null;
        string? failure = null;
        await signalGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await stores.InboundBuffer.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } buffered)
            {
                received = FromBuffer(stanza, buffered);
            }
            else
            {
                await transactions.RunAsync(
                    async (signal, buffer, token) =>
                    {
                        if (TakeAcknowledged() is { Count: > 0 } done)
                        {
                            await buffer.DeleteAsync(done, token).ConfigureAwait(false);
                        }

                        var (content, preKey) = await DecryptAllAsync(WithOwnIdentity(signal), stanza.Encs, stanza.Chat, stanza.SessionJid, token).ConfigureAwait(false);
                        await buffer.PutAsync(key, ToBuffer(content, preKey), Time.GetUtcNow(), token).ConfigureAwait(false);
                        received = Build(stanza, content, preKey);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (DecryptFailure(ex) is { } reason)
        {
            failure = reason;
        }
        finally
        {
            signalGate.Release();
        }

        if (failure is not null)
        {
            await SendRetryReceiptAsync(connection, stanza.Node, stanza.Sender, failure, Emit, cancellationToken).ConfigureAwait(false);
            return;
        }

        inboundRetries.TryRemove(RetryKey(stanza.Id, stanza.Sender), out _);
        var deliverable = received is not null && received.Content.ProtocolMessage is null && !IsOnlyKeyDistribution(received.Content);
        if (deliverable && options.MessageHandler is { } handler)
        {
            // If this throws, nothing is acknowledged: the message comes again and is answered from the buffer.
            await handler(received!, cancellationToken).ConfigureAwait(false);
        }

        await SendDeliveryReceiptAsync(connection, stanza.Node, stanza.FromMe, stanza.Chat, stanza.Sender, cancellationToken).ConfigureAwait(false);
        await SendMessageAckAsync(connection, stanza.Node, cancellationToken).ConfigureAwait(false);
        acknowledgedBuffered.Enqueue(key);
        if (deliverable)
        {
            Emit(new MessageReceivedEvent(received!));
        }
    }

    private List<string>? TakeAcknowledged()
    {
        List<string>? keys = null;
        while (acknowledgedBuffered.TryDequeue(out var key))
        {
            (keys ??= []).Add(key);
        }

        return keys;
    }

    /// <summary>Forgets the acknowledged messages still buffered (the connection is ending); best effort.</summary>
    private async Task ForgetAcknowledgedAsync()
    {
        if (TakeAcknowledged() is not { Count: > 0 } keys)
        {
            return;
        }

        try
        {
            await stores.InboundBuffer.DeleteAsync(keys, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogDebug("acknowledged messages stay buffered: {Error}", ex.GetType().Name);
        }
    }

    /// <summary>The buffer's key of a stanza: a hash of who sent it, its id and its ciphertexts.</summary>
    private static string BufferKey(InboundStanza stanza)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(stanza.Sender + "\n" + stanza.Id + "\n"));
        foreach (var enc in stanza.Encs)
        {
            hash.AppendData(enc.Bytes ?? []);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] ToBuffer(Message content, bool preKey) => [preKey ? (byte)1 : (byte)0, .. content.ToByteArray()];

    private ReceivedMessage FromBuffer(InboundStanza stanza, byte[] buffered)
    {
        if (buffered.Length == 0)
        {
            throw new WireFormatException("an empty buffered message");
        }

        return Build(stanza, Message.Parser.ParseFrom(buffered.AsSpan(1)), buffered[0] == 1);
    }

    private SignalStores WithOwnIdentity(SignalStores signal) =>
        credentials is { } own ? OwnIdentityKeyStore.Over(signal, own) : signal;

    /// <summary>Why a message did not decrypt, for its retry receipt; null for a fault that is not the message's.</summary>
    private static string? DecryptFailure(Exception error) => error switch
    {
        SignalProtocolException signal => signal.Error.ToString(),
        WireFormatException or InvalidProtocolBufferException => "malformed",
        _ => null,
    };

    /// <summary>A message stanza read up to its decrypt: who sent it, the chat it belongs to, what to decrypt.</summary>
    private sealed record InboundStanza(
        Node Node, string Id, Jid Sender, Jid? SenderPn, Jid SessionJid, bool FromMe, Jid Chat, Node[] Encs, DateTimeOffset Timestamp);

    /// <summary>Null for a stanza without id or sender (ignored, as before); one without enc is only acknowledged.</summary>
    private async Task<InboundStanza?> ReadStanzaAsync(Node node, CancellationToken cancellationToken)
    {
        if (node.GetAttribute("id") is not { } id || node.GetJidAttribute("from") is not { } from)
        {
            return null;
        }

        var participant = node.GetJidAttribute("participant");
        var recipient = node.GetJidAttribute("recipient");
        var sender = participant ?? from;
        var fromMe = IsMe(sender);
        var chat = from.IsGroup || from.IsBroadcast ? from : fromMe && recipient is { } r ? r.ToNonDevice() : from.ToNonDevice();
        var encs = node.GetChildren("enc").ToArray();
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(node.GetInt64Attribute("t") ?? Time.GetUtcNow().ToUnixTimeSeconds());
        if (encs.Length == 0)
        {
            return new InboundStanza(node, id, sender, null, sender, fromMe, chat, encs, timestamp);
        }

        var senderLid = node.GetJidAttribute(participant is null ? "sender_lid" : "participant_lid");
        var senderPn = node.GetJidAttribute(participant is null ? "sender_pn" : "participant_pn");
        var sessionJid = await ResolveSessionJidAsync(sender, senderLid, cancellationToken).ConfigureAwait(false);
        if (senderPn is null && sender.IsLid
            && (await stores.LidMap.GetPnsForLidsAsync([sender.User], cancellationToken).ConfigureAwait(false)).TryGetValue(sender.User, out var pnUser))
        {
            senderPn = new Jid(pnUser, JidServer.User);
        }

        return new InboundStanza(node, id, sender, senderPn, sessionJid, fromMe, chat, encs, timestamp);
    }

    /// <summary>The message as the application sees it: the stanza's facts with the decrypted content.</summary>
    private static ReceivedMessage Build(InboundStanza stanza, Message content, bool preKey)
    {
        var messageChat = stanza.Chat;
        if (content.DeviceSentMessage is { } sent)
        {
            // My own other device's message: the chat is where it was sent to.
            if (stanza.FromMe && Jid.TryParse(sent.DestinationJid, out var destination))
            {
                messageChat = destination;
            }

            content = sent.Message ?? new Message();
        }

        var sender = stanza.Sender;
        return new ReceivedMessage(
            stanza.Id,
            messageChat,
            sender,
            sender.IsPn ? sender.ToNonDevice() : stanza.SenderPn?.ToNonDevice(),
            stanza.SessionJid.IsLid ? stanza.SessionJid.ToNonDevice() : null,
            stanza.FromMe,
            stanza.Timestamp,
            stanza.Node.GetAttribute("notify"),
            content,
            preKey);
    }

    private async Task<(Message Content, bool PreKey)> DecryptAllAsync(
        SignalStores stores, Node[] encs, Jid chat, Jid sessionJid, CancellationToken cancellationToken)
    {
        var address = Addressing.ToProtocolAddress(sessionJid);
        var cipher = new SessionCipher(stores, options.Random);
        Message? content = null;
        var preKey = false;
        foreach (var enc in encs)
        {
            var ciphertext = enc.Bytes ?? throw new WireFormatException("enc without bytes");
            var plaintext = enc.GetAttribute("type") switch
            {
                "pkmsg" => await cipher.DecryptPreKeySignalMessageAsync(address, ciphertext, cancellationToken).ConfigureAwait(false),
                "msg" => await cipher.DecryptSignalMessageAsync(address, ciphertext, cancellationToken).ConfigureAwait(false),
                "skmsg" => await new GroupCipher(stores.SenderKeys).DecryptAsync(new SenderKeyName(chat.ToString(), address), ciphertext, cancellationToken).ConfigureAwait(false),
                _ => null,
            };
            if (plaintext is null)
            {
                continue;
            }

            preKey |= enc.GetAttribute("type") == "pkmsg";
            var message = Message.Parser.ParseFrom(MessagePadding.Unpad(plaintext).Span);
            if (message.SenderKeyDistributionMessage is { AxolotlSenderKeyDistributionMessage.IsEmpty: false } distribution)
            {
                var name = new SenderKeyName(distribution.HasGroupId ? distribution.GroupId : chat.ToString(), address);
                await new GroupSessionBuilder(stores.SenderKeys, options.Random).ProcessAsync(
                    name, Gateway.WebProtocol.Signal.SenderKeyDistributionMessage.Parse(distribution.AxolotlSenderKeyDistributionMessage.Span), cancellationToken).ConfigureAwait(false);
            }

            if (content is null || IsOnlyKeyDistribution(content))
            {
                content = message;
            }
        }

        return (content ?? throw new WireFormatException("no enc of a known type"), preKey);
    }

    private static bool IsOnlyKeyDistribution(Message message) =>
        message.SenderKeyDistributionMessage is not null
        && message.ExtendedTextMessage is null && !message.HasConversation && message.ImageMessage is null
        && message.DocumentMessage is null && message.AudioMessage is null && message.VideoMessage is null
        && message.DeviceSentMessage is null;

    private bool IsMe(Jid jid) =>
        (Device is { } me && jid.User == me.User && jid.IsPn) || (Lid is { } lid && jid.User == lid.User && jid.IsLid);

    private static string RetryKey(string id, Jid sender) => string.Concat(id, ":", sender.ToString());

    /// <summary>Delivery receipt: plain for a peer's message, type "sender" (with recipient) for my other device's.</summary>
    private static Task SendDeliveryReceiptAsync(LiveConnection connection, Node node, bool fromMe, Jid chat, Jid sender, CancellationToken cancellationToken)
    {
        var attributes = fromMe && !chat.IsGroup
            ? Stanza.Attrs(("id", node.GetAttribute("id")), ("to", sender.ToString()), ("recipient", chat.ToString()), ("type", "sender"))
            : Stanza.Attrs(("id", node.GetAttribute("id")), ("to", node.GetAttribute("from")), ("participant", node.GetAttribute("participant")));
        return SendNodeAsync(connection, new Node("receipt", attributes), cancellationToken);
    }

    private Task SendMessageAckAsync(LiveConnection connection, Node node, CancellationToken cancellationToken)
    {
        var attributes = Stanza.Attrs(
            ("id", node.GetAttribute("id")),
            ("to", node.GetAttribute("from")),
            ("class", "message"),
            ("participant", node.GetAttribute("participant")),
            ("recipient", node.GetAttribute("recipient")),
            ("type", node.GetAttribute("type")),
            ("from", Device?.ToString()));
        return SendNodeAsync(connection, new Node("ack", attributes), cancellationToken);
    }

    /// <summary>
    /// Asks the sender to encrypt again. From the second try on the receipt carries a fresh prekey bundle so
    /// the sender can start a new session even if ours is broken.
    /// </summary>
    private async Task SendRetryReceiptAsync(
        LiveConnection connection, Node node, Jid sender, string failure, Action<WaEvent> emit, CancellationToken cancellationToken)
    {
        var id = node.GetAttribute("id")!;
        var count = inboundRetries.AddOrUpdate(RetryKey(id, sender), 1, (_, n) => n + 1);
        log.LogInformation("message {Id} did not decrypt ({Failure}); retry {Count}", id, failure, count);
        emit(new DecryptionFailedEvent(id, sender, count, failure));
        if (count > MaxRetries)
        {
            inboundRetries.TryRemove(RetryKey(id, sender), out _);
            await SendMessageAckAsync(connection, node, cancellationToken).ConfigureAwait(false);
            return;
        }

        var creds = Creds;
        var registration = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(registration, (uint)creds.RegistrationId);
        var children = new List<Node>
        {
            Stanza.Make("retry", Stanza.Attrs(
                ("count", count.ToString(CultureInfo.InvariantCulture)), ("id", id), ("t", node.GetAttribute("t")), ("v", "1"), ("error", "0"))),
            Stanza.Bytes("registration", registration),
        };
        if (count > 1)
        {
            var preKey = KeyHelper.GeneratePreKeys((uint)creds.NextPreKeyId, 1, options.Random)[0];
            await ActiveSignal.PreKeys.StorePreKeysAsync([preKey], cancellationToken).ConfigureAwait(false);
            await SaveCredentialsAsync(creds with { NextPreKeyId = creds.NextPreKeyId + 1 }, cancellationToken).ConfigureAwait(false);
            var signed = new SignedPreKeyRecord(
                (uint)creds.SignedPreKeyId, new KeyPair(creds.SignedPreKeyPublic, creds.SignedPreKeyPrivate), creds.SignedPreKeySignature, 0);
            var keys = new List<Node>
            {
                Stanza.Bytes("type", [Curve25519.DjbKeyType]),
                Stanza.Bytes("identity", creds.IdentityPublicKey),
                PreKeyCodec.KeyNode(preKey.Id, preKey.KeyPair.PublicKey),
                PreKeyCodec.SignedKeyNode(signed),
            };
            if (creds.AccountIdentity is { } account)
            {
                keys.Add(Stanza.Bytes("device-identity", account));
            }

            children.Add(Stanza.Make("keys", keys.ToArray()));
        }

        var receipt = new Node(
            "receipt",
            Stanza.Attrs(
                ("id", id), ("type", "retry"), ("to", node.GetAttribute("from")),
                ("participant", node.GetAttribute("participant")), ("recipient", node.GetAttribute("recipient"))),
            children);
        await SendNodeAsync(connection, receipt, cancellationToken).ConfigureAwait(false);
        await SendMessageAckAsync(connection, node, cancellationToken).ConfigureAwait(false);
    }
}
