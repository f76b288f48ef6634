using System.Globalization;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Client.Devices;
using Gateway.WebProtocol.Client.Prekeys;
using Gateway.WebProtocol.Client.Send;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Types;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Gateway.WebProtocol.Client;

public sealed partial class WaClient
{
    /// <summary>Tells the sender that the user read these messages (one receipt, the first id plus a list).</summary>
    public async Task SendReadReceiptAsync(Jid chat, IReadOnlyList<string> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
        {
            throw new ArgumentException("no message ids", nameof(messageIds));
        }

        var connection = RequireLoggedIn();
        var children = messageIds.Count > 1
            ? new[] { Stanza.Make("list", messageIds.Skip(1).Select(id => Stanza.Make("item", Stanza.Attrs(("id", id)))).ToArray()) }
            : [];
        var receipt = Stanza.Make(
            "receipt",
            Stanza.Attrs(
                ("id", messageIds[0]), ("to", chat.ToNonDevice().ToString()), ("type", "read"),
                ("t", Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))),
            children);
        await SendNodeAsync(connection, receipt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Delivery and read receipts become statuses; retry receipts make us encrypt again for that device.</summary>
    private async Task HandleReceiptAsync(LiveConnection connection, Node receipt, CancellationToken cancellationToken)
    {
        var type = receipt.GetAttribute("type");
        var from = receipt.GetJidAttribute("from");
        if (type == "retry" && from is { } device)
        {
            try
            {
                await ResendForRetryAsync(connection, receipt, device, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SignalProtocolException or WireFormatException or IqException or TimeoutException or InvalidOperationException)
            {
                log.LogWarning("could not answer a retry receipt: {Error}", ex.GetType().Name);
            }
        }
        else if (from is { } sender && !IsMe(sender))
        {
            MessageStatus? status = type switch
            {
                null or "" or "inactive" => MessageStatus.Delivered,
                "read" or "read-self" or "played" => MessageStatus.Read,
                _ => null,
            };
            if (status is { } s)
            {
                var statuses = ReceiptIds(receipt).Select(id => new MessageStatusEvent(id, sender.ToNonDevice(), s, sender)).ToList();
                if (statuses.Count > 0 && options.ReceiptHandler is { } handler)
                {
                    // If this throws, the receipt stays unacknowledged and the server sends it again at the next login.
                    await handler(statuses, cancellationToken).ConfigureAwait(false);
                }

                await SendAckAsync(connection, receipt, cancellationToken).ConfigureAwait(false);
                foreach (var e in statuses)
                {
                    Emit(e);
                }

                return;
            }
        }

        await SendAckAsync(connection, receipt, cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<string> ReceiptIds(Node receipt)
    {
        if (receipt.GetAttribute("id") is { } first)
        {
            yield return first;
        }

        if (receipt.GetChild("list") is { } list)
        {
            foreach (var item in list.GetChildren("item"))
            {
                if (item.GetAttribute("id") is { } id)
                {
                    yield return id;
                }
            }
        }
    }

    /// <summary>
    /// The device could not decrypt our message: rebuild its session from the bundle in the receipt (or a
    /// fresh one from the server from the second try on) and send that device alone a new copy.
    /// </summary>
    private async Task ResendForRetryAsync(LiveConnection connection, Node receipt, Jid device, CancellationToken cancellationToken)
    {
        var id = receipt.GetAttribute("id")!;
        var retry = receipt.GetChild("retry");
        var count = (int)(retry?.GetInt64Attribute("count") ?? 1);
        var key = RetryKey(id, device);
        var ours = outboundRetries.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (count > MaxRetries || ours > MaxRetries)
        {
            log.LogInformation("retry cap reached for {Id}", id);
            return;
        }

        if (!recent.TryGet(id, out var chat, out var message))
        {
            log.LogInformation("retry receipt for a message no longer kept: {Id}", id);
            return;
        }

        var me = Device ?? throw new InvalidOperationException("not paired");
        var sessionJid = await ResolveSessionJidAsync(device, null, cancellationToken).ConfigureAwait(false);
        var address = Addressing.ToProtocolAddress(sessionJid);
        Node stanza;
        await signalGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (receipt.GetChild("keys") is { } keys)
            {
                var bundle = RetryBundle(receipt, keys);
                await ActiveSignal.Sessions.DeleteSessionAsync(address, cancellationToken).ConfigureAwait(false);
                await new SessionBuilder(ActiveSignal, options.Random).ProcessBundleAsync(address, bundle, cancellationToken).ConfigureAwait(false);
            }
            else if (count > 1 || await ActiveSignal.Sessions.LoadSessionAsync(address, cancellationToken).ConfigureAwait(false) is not { HasOpenSession: true })
            {
                await ActiveSignal.Sessions.DeleteSessionAsync(address, cancellationToken).ConfigureAwait(false);
                if ((await EnsureSessionsAsync([sessionJid], cancellationToken).ConfigureAwait(false)).Devices.Count == 0)
                {
                    throw new InvalidOperationException("no prekey bundle for the retrying device");
                }
            }

            var own = IsMe(device);
            var payload = own
                ? new Message
                {
                    DeviceSentMessage = new Message.Types.DeviceSentMessage { DestinationJid = chat.ToString(), Message = message },
                    MessageContextInfo = message.MessageContextInfo,
                }
                : message;
            var encrypted = await new SessionCipher(ActiveSignal, options.Random).EncryptAsync(
                address, MessagePadding.Pad(payload.ToByteArray(), options.Random), cancellationToken).ConfigureAwait(false);
            var preKey = encrypted.Type == Gateway.WebProtocol.Signal.CiphertextType.PreKey;
            var (type, mediaType) = OutgoingContent.Classify(message);
            var content = new List<Node>
            {
                Stanza.Bytes(
                    "enc",
                    Stanza.Attrs(("v", "2"), ("type", preKey ? "pkmsg" : "msg"), ("count", count.ToString(CultureInfo.InvariantCulture)), ("mediatype", mediaType)),
                    encrypted.Serialized),
            };
            if (preKey && Creds.AccountIdentity is { } identity)
            {
                content.Add(Stanza.Bytes("device-identity", identity));
            }

            var attributes = own
                ? Stanza.Attrs(("id", id), ("to", sessionJid.ToString()), ("recipient", chat.ToString()), ("type", type))
                : Stanza.Attrs(("id", id), ("to", sessionJid.ToString()), ("type", type), ("device_fanout", "false"));
            stanza = new Node("message", attributes, content);
        }
        finally
        {
            signalGate.Release();
        }

        await SendNodeAsync(connection, stanza, cancellationToken).ConfigureAwait(false);
        log.LogInformation("re-sent {Id} after retry {Count}", id, count);
        _ = me;
    }

    private static PreKeyBundle RetryBundle(Node receipt, Node keys)
    {
        var registration = receipt.GetChild("registration")?.Bytes;
        if (registration is not { Length: 4 })
        {
            throw new WireFormatException("retry receipt lacks a 4-byte registration id");
        }

        var holder = new Node("bundle", null, [Stanza.Bytes("registration", registration), .. keys.Children]);
        return PreKeyCodec.ParseBundle(holder);
    }
}
