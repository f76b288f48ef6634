using Gateway.Emulator.Accounts;
using Gateway.Emulator.Pairing;
using Gateway.Emulator.Stanzas;
using Gateway.WebProtocol;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Transport;
using Google.Protobuf;
using static Gateway.Emulator.Stanzas.StanzaBuilder;

namespace Gateway.Emulator.Connections;

/// <summary>
/// Takes a fresh transport through the Noise handshake, then either starts pairing (registration payload)
/// or logs a known device in (success, unacked stanzas marked offline, the offline marker), and dispatches
/// the connection's stanzas until it ends.
/// </summary>
internal sealed class ConnectionAcceptor(
    ServerIdentity identity,
    AccountDirectory accounts,
    PairingService pairing,
    IqHandler iqs,
    MessageRouter router,
    EmulatorOptions options)
{
    private int open;

    public int OpenConnections => Volatile.Read(ref open);

    public async Task RunAsync(IDuplexTransport transport, Action abort, CancellationToken cancellationToken)
    {
        // Every idle connection holds one receive chunk: small chunks keep thousands of connections cheap.
        var frames = new FrameSocket(transport, FrameSocketRole.Server, receiveChunkSize: 2048);
        using var responder = new NoiseResponder(identity.StaticKey, identity.CertificateChain);
        NoiseSocket socket;
        try
        {
            socket = await NoiseHandshake.AcceptAsync(frames, responder, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NoiseHandshakeException or ConnectionException or OperationCanceledException)
        {
            await frames.DisposeAsync().ConfigureAwait(false);
            return;
        }

        var connection = new EmulatorConnection(socket, abort);
        Interlocked.Increment(ref open);
        try
        {
            if (!Begin(connection, responder.ClientStaticPublicKey.ToArray(), responder.ClientPayload.Span))
            {
                connection.PostFailureAndClose(401);
            }

            await connection.RunAsync(DispatchAsync, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref open);
            connection.Device?.Detach(connection);
            if (connection.Pairing is { } session)
            {
                pairing.End(session);
            }
        }
    }

    private bool Begin(EmulatorConnection connection, byte[] noiseKey, ReadOnlySpan<byte> payloadBytes)
    {
        ClientPayload payload;
        try
        {
            payload = ClientPayload.Parser.ParseFrom(payloadBytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }

        if (!payload.HasUsername)
        {
            if (payload.DevicePairingData is not { } data)
            {
                return false;
            }

            try
            {
                pairing.Begin(connection, noiseKey, RegistrationData.Parse(data));
                return true;
            }
            catch (WireFormatException)
            {
                return false;
            }
        }

        var device = accounts.FindByPhone(Text((long)payload.Username))?.FindDevice((ushort)payload.Device);
        if (device is null || !device.NoiseKey.AsSpan().SequenceEqual(noiseKey))
        {
            return false;
        }

        if (device.Faults.RefuseLoginReason is { } reason)
        {
            connection.PostFailureAndClose(reason);
            return true;
        }

        connection.Device = device;
        connection.Post(Make("success", Attrs(("t", Seconds(options.TimeProvider)), ("props", "1"),
            ("lid", device.LidJid.ToString()), ("location", "emu"), ("creation", Seconds(options.TimeProvider)))));
        var replayed = 0;
        var previous = device.Attach(connection, stanza =>
        {
            var copy = new NodeAttributes();
            foreach (var (key, value) in stanza.Stanza.Attributes)
            {
                copy.Set(key, value);
            }

            copy.Set("offline", "1");
            connection.Post(stanza.Stanza.Children.Count == 0
                ? new Node(stanza.Stanza.Tag, copy)
                : new Node(stanza.Stanza.Tag, copy, stanza.Stanza.Children));
            replayed++;
        });
        connection.Post(Make("ib", Attrs(("from", ServerJid)), Make("offline", Attrs(("count", Text(replayed))))));
        previous?.PostStreamErrorAndClose(440);
        return true;
    }

    private ValueTask DispatchAsync(EmulatorConnection connection, Node stanza)
    {
        var device = connection.Device;
        device?.Sent.Increment(stanza.Tag);
        if (stanza.Tag == "receipt" && stanza.GetAttribute("type") is { Length: > 0 } receiptType)
        {
            device?.Sent.Increment("receipt:" + receiptType); // retry receipts told apart from the others
        }

        switch (stanza.Tag)
        {
            case "iq":
                iqs.Handle(connection, stanza);
                break;
            case "message" when device is not null:
                router.RouteMessage(connection, device, stanza);
                break;
            case "receipt" when device is not null:
                // A client confirms a message with its receipt (Baileys acks only what it cannot receipt).
                device.Acknowledge("message", stanza.GetAttribute("id") ?? "");
                foreach (var item in stanza.GetChild("list")?.GetChildren("item") ?? [])
                {
                    device.Acknowledge("message", item.GetAttribute("id") ?? "");
                }

                router.RouteReceipt(connection, device, stanza);
                break;
            case "ack" when device is not null:
                device.Acknowledge(stanza.GetAttribute("class") ?? "", stanza.GetAttribute("id") ?? "");
                break;
            default:
                // presence, ib, notification acks and the rest need no answer from the emulator.
                break;
        }

        return ValueTask.CompletedTask;
    }
}
