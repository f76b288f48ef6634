using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Client.Devices;
using Gateway.WebProtocol.Client.Send;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Types;
using Google.Protobuf;

namespace Gateway.WebProtocol.Client;

public sealed partial class WaClient
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<SendResult>> pendingAcks = new(StringComparer.Ordinal);

    /// <summary>Sends a text (as extendedTextMessage), optionally as a reply. Returns the message id once the server took it.</summary>
    public async Task<string> SendTextAsync(Jid to, string text, CancellationToken cancellationToken, QuotedMessage? quoted = null) =>
        (await SendMessageAsync(to, OutgoingContent.Text(text, quoted), cancellationToken).ConfigureAwait(false)).MessageId;

    /// <summary>
    /// Encrypts <paramref name="message"/> for every device of <paramref name="to"/> and every other device of
    /// mine (as deviceSentMessage), stores the Signal sessions it advanced, sends one stanza and returns once the
    /// server acknowledged it, as an iq returns its result. A refusal throws <see cref="MessageRejectedException"/>;
    /// no ack within <see cref="WaClientOptions.SendAckTimeout"/> throws <see cref="TimeoutException"/>. The
    /// receipts that follow arrive through <see cref="WaClientOptions.ReceiptHandler"/> and as events.
    /// </summary>
    public async Task<SendResult> SendMessageAsync(Jid to, Message message, CancellationToken cancellationToken, string? messageId = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!(to.IsPn || to.IsLid))
        {
            throw new ArgumentException("only 1:1 chats (phone-number or LID JIDs) are supported", nameof(to));
        }

        var connection = RequireLoggedIn();
        var me = Device ?? throw new InvalidOperationException("not paired");
        var meLid = Lid;
        var chat = to.ToNonDevice();
        message.MessageContextInfo ??= new MessageContextInfo();
        if (message.MessageContextInfo.MessageSecret.IsEmpty)
        {
            var secret = new byte[32];
            options.Random.GetBytes(secret);
            message.MessageContextInfo.MessageSecret = ByteString.CopyFrom(secret);
        }

        var id = messageId ?? MessageIds.New(me.User, Time.GetUtcNow(), options.Random);
        recent.Add(id, chat, message);
        var stanza = await EncryptQueuedAsync(new PendingSend(id, chat, message), connection, me, meLid, cancellationToken).ConfigureAwait(false);
        var ack = new TaskCompletionSource<SendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        pendingAcks[id] = ack;
        try
        {
            await SendNodeAsync(connection, stanza, cancellationToken).ConfigureAwait(false);
            return await ack.Task.WaitAsync(options.SendAckTimeout, Time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pendingAcks.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Encrypts one send of a batch for every device of its chat and of mine, continuing each session from the state
    /// the batch's earlier sends left in <paramref name="sessions"/> (not yet stored), and leaves there the state
    /// this one advanced it to. Runs under the Signal gate.
    /// </summary>
    private async Task<Node> EncryptOneAsync(
        PendingSend send, Jid me, Jid? meLid, Dictionary<ProtocolAddress, SessionRecord> sessions, CancellationToken cancellationToken)
    {
        var chat = send.Chat;
        var users = chat.User == me.User || (meLid is { } myLid && chat.User == myLid.User)
            ? new[] { chat }
            : new[] { chat, me.ToNonDevice() };
        var devices = await GetDeviceJidsAsync(users, cancellationToken).ConfigureAwait(false);
        devices.RemoveAll(device => device == me || (meLid is { } ownLid && device == ownLid));
        (devices, var loaded) = await EnsureSessionsAsync(devices, cancellationToken).ConfigureAwait(false);
        if (devices.Count == 0)
        {
            throw new InvalidOperationException("no device of the recipient could be reached");
        }

        var message = send.Message;
        var forPeer = MessagePadding.Pad(message.ToByteArray(), options.Random);
        byte[]? forOwn = null;
        var addresses = devices.Select(Addressing.ToProtocolAddress).ToArray();
        // A session an earlier send of this batch advanced continues from that state; of the rest, only those
        // EnsureSessionsAsync just created are read again (it loaded the others under this same gate).
        var records = new Dictionary<ProtocolAddress, SessionRecord>(loaded);
        foreach (var address in addresses)
        {
            if (sessions.TryGetValue(address, out var advanced))
            {
                records[address] = advanced;
            }
        }
        var unread = addresses.Where(address => !records.ContainsKey(address)).ToArray();
        if (unread.Length > 0)
        {
            foreach (var (address, record) in await ActiveSignal.Sessions.LoadSessionsAsync(unread, cancellationToken).ConfigureAwait(false))
            {
                records[address] = record;
            }
        }
        var cipher = new SessionCipher(ActiveSignal, options.Random);
        var (type, mediaType) = OutgoingContent.Classify(message);
        var participants = new List<Node>(devices.Count);
        var anyPreKey = false;
        for (var i = 0; i < devices.Count; i++)
        {
            var device = devices[i];
            if (!records.TryGetValue(addresses[i], out var record))
            {
                continue;
            }

            var own = device.User == me.User || (meLid is { } l && device.User == l.User);
            var plaintext = own
                ? forOwn ??= MessagePadding.Pad(
                    new Message
                    {
                        DeviceSentMessage = new Message.Types.DeviceSentMessage { DestinationJid = chat.ToString(), Message = message },
                        MessageContextInfo = message.MessageContextInfo,
                    }.ToByteArray(),
                    options.Random)
                : forPeer;
            var encrypted = await cipher.EncryptAsync(addresses[i], record, plaintext, cancellationToken).ConfigureAwait(false);
            sessions[addresses[i]] = record;
            var preKey = encrypted.Type == Gateway.WebProtocol.Signal.CiphertextType.PreKey;
            anyPreKey |= preKey;
            participants.Add(Stanza.Make(
                "to",
                Stanza.Attrs(("jid", device.ToString())),
                Stanza.Bytes("enc", Stanza.Attrs(("v", "2"), ("type", preKey ? "pkmsg" : "msg"), ("mediatype", mediaType)), encrypted.Serialized)));
        }

        var content = new List<Node> { Stanza.Make("participants", participants.ToArray()) };
        if (anyPreKey && Creds.AccountIdentity is { } identity)
        {
            content.Add(Stanza.Bytes("device-identity", identity));
        }

        return new Node("message", Stanza.Attrs(("id", send.Id), ("to", chat.ToString()), ("type", type)), content);
    }

    private Task HandleAckAsync(Node ack)
    {
        if (ack.GetAttribute("class") != "message" || ack.GetAttribute("id") is not { } id)
        {
            return Task.CompletedTask;
        }

        var chat = ack.GetJidAttribute("from") ?? default;
        var error = ack.GetInt64Attribute("error");
        if (pendingAcks.TryGetValue(id, out var waiting))
        {
            if (error is { } code)
            {
                waiting.TrySetException(new MessageRejectedException(id, (int)code));
            }
            else
            {
                var at = ack.GetInt64Attribute("t") is { } t ? DateTimeOffset.FromUnixTimeSeconds(t) : Time.GetUtcNow();
                waiting.TrySetResult(new SendResult(id, at));
            }
        }

        Emit(new MessageStatusEvent(id, chat, error is null ? MessageStatus.Sent : MessageStatus.Failed, null, (int?)error));
        return Task.CompletedTask;
    }

    /// <summary>The connection ended: sends still waiting for their ack will not get it on this connection.</summary>
    private void FailPendingAcks()
    {
        foreach (var waiting in pendingAcks.Values)
        {
            waiting.TrySetException(new InvalidOperationException("The connection ended before the server acknowledged the message."));
        }
    }
}
