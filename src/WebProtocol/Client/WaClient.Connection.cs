using System.Globalization;
using System.Threading.Channels;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Transport;
using Gateway.WebProtocol.Types;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Gateway.WebProtocol.Client;

public sealed partial class WaClient
{
    /// <summary>
    /// Opens a connection: loads (or creates) credentials, runs the Noise handshake and either logs in (returns
    /// once the post-login sequence is done) or registers (returns at once; QR codes follow as events).
    /// </summary>
    /// <exception cref="ConnectionException">The transport or handshake failed, or the server refused the login
    /// (<see cref="WaConnectionException.Reason"/> says why).</exception>
    public async Task<ConnectOutcome> ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        await lifecycleGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (live is { HasEnded: false })
            {
                throw new InvalidOperationException("the client is already connected");
            }

            await EnsureCredentialsAsync(cancellationToken).ConfigureAwait(false);
            return await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lifecycleGate.Release();
        }
    }

    private async Task EnsureCredentialsAsync(CancellationToken cancellationToken)
    {
        var loaded = await stores.Credentials.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            var random = options.Random;
            var noise = Curve25519.GenerateKeyPair(random);
            var identity = Curve25519.GenerateKeyPair(random);
            var signedPreKey = KeyHelper.GenerateSignedPreKey(identity, 1, random, Time);
            var adv = new byte[32];
            random.GetBytes(adv);
            loaded = new DeviceCredentials
            {
                NoisePrivateKey = noise.PrivateKey,
                NoisePublicKey = noise.PublicKey,
                IdentityPrivateKey = identity.PrivateKey,
                IdentityPublicKey = identity.PublicKey,
                RegistrationId = (int)KeyHelper.GenerateRegistrationId(random),
                SignedPreKeyId = (int)signedPreKey.Id,
                SignedPreKeyPrivate = signedPreKey.KeyPair.PrivateKey,
                SignedPreKeyPublic = signedPreKey.KeyPair.PublicKey,
                SignedPreKeySignature = signedPreKey.Signature,
                AdvSecretKey = adv,
                PushName = options.Payload.PushName,
            };
            await stores.Credentials.SaveAsync(loaded, cancellationToken).ConfigureAwait(false);
        }

        credentials = loaded;
        signal = OwnIdentityKeyStore.Over(stores.SignalFactory(loaded), loaded);
        var signed = new SignedPreKeyRecord(
            (uint)loaded.SignedPreKeyId,
            new KeyPair(loaded.SignedPreKeyPublic, loaded.SignedPreKeyPrivate),
            loaded.SignedPreKeySignature,
            0);
        if (await signal.SignedPreKeys.LoadSignedPreKeyAsync(signed.Id, cancellationToken).ConfigureAwait(false) is null)
        {
            await signal.SignedPreKeys.StoreSignedPreKeyAsync(signed, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ConnectOutcome> OpenAsync(CancellationToken cancellationToken)
    {
        var creds = Creds;
        var transport = options.TransportFactory is { } factory
            ? await factory(cancellationToken).ConfigureAwait(false)
            : await WebSocketTransport.ConnectAsync(options.WebSocketUrl, new WebSocketTransportOptions { TimeProvider = Time }, cancellationToken).ConfigureAwait(false);
        var frames = new FrameSocket(transport, FrameSocketRole.Client, creds.RoutingInfo);
        var verifier = options.RootPublicKey is { } root
            ? new NoiseCertificateVerifier(root.Span, Time)
            : NoiseCertificateVerifier.ForWhatsApp(Time);
        var payload = creds.Registered ? LoginPayload(creds) : RegistrationPayload(creds);
        NoiseSocket socket;
        try
        {
            using var initiator = new NoiseInitiator(new KeyPair(creds.NoisePublicKey, creds.NoisePrivateKey), verifier);
            socket = await NoiseHandshake.ConnectAsync(frames, initiator, payload, Time, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await frames.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var connection = new LiveConnection(socket, new IqTracker(options.Random), Time);
        live = connection;
        _ = Task.Run(() => ReadLoopAsync(connection), CancellationToken.None);
        _ = Task.Run(() => ProcessLoopAsync(connection), CancellationToken.None);
        if (!creds.Registered)
        {
            log.LogInformation("connected as a new device; waiting for pairing");
            return ConnectOutcome.AwaitingPairing;
        }

        await LoginAsync(connection, cancellationToken).ConfigureAwait(false);
        return ConnectOutcome.LoggedIn;
    }

    private byte[] LoginPayload(DeviceCredentials creds)
    {
        var me = Jid.Parse(creds.MePn ?? throw new InvalidOperationException("registered credentials lack the phone-number JID"));
        return ClientPayloadFactory.CreateLogin(
            ulong.Parse(me.User, NumberStyles.None, CultureInfo.InvariantCulture), me.Device, options.Payload).ToByteArray();
    }

    private byte[] RegistrationPayload(DeviceCredentials creds) => ClientPayloadFactory.CreateRegistration(
        new DeviceRegistrationKeys(
            (uint)creds.RegistrationId, creds.IdentityPublicKey, (uint)creds.SignedPreKeyId, creds.SignedPreKeyPublic, creds.SignedPreKeySignature),
        options.Payload).ToByteArray();

    private async Task LoginAsync(LiveConnection connection, CancellationToken cancellationToken)
    {
        Node answer;
        try
        {
            answer = await connection.Login.Task.WaitAsync(options.RequestTimeout, Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            var reason = new DisconnectReason(DisconnectKind.ConnectionLost, Detail: "no login answer");
            await EndAsync(connection, reason).ConfigureAwait(false);
            throw new WaConnectionException(reason, ex);
        }
        catch (OperationCanceledException)
        {
            await EndAsync(connection, new DisconnectReason(DisconnectKind.ClientClosed)).ConfigureAwait(false);
            throw;
        }

        if (answer.Tag == "failure")
        {
            var reason = connection.TerminalReason ?? ReasonOf(answer);
            await EndAsync(connection, reason).ConfigureAwait(false);
            throw new WaConnectionException(reason);
        }

        await OnSuccessAsync(answer, cancellationToken).ConfigureAwait(false);
        try
        {
            await RunPostLoginAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IqException or TimeoutException or WireFormatException)
        {
            var reason = new DisconnectReason(DisconnectKind.ServerError, Detail: "post-login sequence failed");
            await EndAsync(connection, reason).ConfigureAwait(false);
            throw new WaConnectionException(reason, ex);
        }

        connection.IsLoggedIn = true;
        _ = Task.Run(() => KeepAliveLoopAsync(connection), CancellationToken.None);
        log.LogInformation("logged in as {Device}", Device is { } d ? Devices.Addressing.Mask(d) : "?");
        Emit(new ConnectedEvent(Device ?? default, Lid));
    }

    /// <summary>The success node names our LID (Baileys takes it unconditionally); remember it and the mapping.</summary>
    private async Task OnSuccessAsync(Node success, CancellationToken cancellationToken)
    {
        var creds = Creds;
        if (success.GetJidAttribute("lid") is { IsLid: true } lid && Device is { } me)
        {
            var meLid = new Jid(lid.User, JidServer.Lid, me.Device);
            if (creds.MeLid != meLid.ToString())
            {
                await SaveCredentialsAsync(creds with { MeLid = meLid.ToString() }, cancellationToken).ConfigureAwait(false);
            }

            await stores.LidMap.StoreMappingsAsync([new LidPnMapping(lid.User, me.User)], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync(LiveConnection connection)
    {
        var token = connection.Stop.Token;
        try
        {
            while (await connection.Socket.ReceiveFrameAsync(token).ConfigureAwait(false) is { } frame)
            {
                connection.Touch();
                Node node;
                try
                {
                    node = NodeFrame.Decode(frame);
                }
                catch (WireFormatException ex)
                {
                    log.LogWarning("dropped an undecodable frame: {Error}", ex.Message);
                    continue;
                }

                if (connection.Iqs.TryComplete(node))
                {
                    continue;
                }

                switch (node.Tag)
                {
                    case "stream:error":
                    case "failure":
                        connection.TerminalReason ??= ReasonOf(node);
                        connection.Login.TrySetResult(node);
                        break;
                    case "success":
                        connection.Login.TrySetResult(node);
                        break;
                }

                await connection.Inbound.Writer.WriteAsync(node, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (ConnectionException ex)
        {
            log.LogInformation("connection broke: {Kind}", ex.Kind);
        }
        finally
        {
            connection.Inbound.Writer.TryComplete();
        }
    }

    private async Task ProcessLoopAsync(LiveConnection connection)
    {
        var token = connection.Stop.Token;
        var reader = connection.Inbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false) && await ProcessWaitingAsync(connection, reader, token).ConfigureAwait(false))
            {
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }

        await EndAsync(connection, connection.TerminalReason ?? new DisconnectReason(DisconnectKind.ConnectionLost)).ConfigureAwait(false);
    }

    /// <summary>Handles the nodes queued now, in order; false once the stream ended.</summary>
    private async Task<bool> ProcessWaitingAsync(LiveConnection connection, ChannelReader<Node> reader, CancellationToken token)
    {
        while (reader.TryRead(out var node))
        {
            if (node.Tag is "stream:error" or "failure" or "xmlstreamend")
            {
                return false;
            }

            try
            {
                await HandleNodeAsync(connection, node, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "handling <{Tag}> failed", node.Tag);
            }
        }

        return true;
    }

    private Task HandleNodeAsync(LiveConnection connection, Node node, CancellationToken cancellationToken) => node.Tag switch
    {
        "message" => HandleMessageAsync(connection, node, cancellationToken),
        "receipt" => HandleReceiptAsync(connection, node, cancellationToken),
        "ack" => HandleAckAsync(node),
        "notification" => HandleNotificationAsync(connection, node, cancellationToken),
        "iq" => HandleServerIqAsync(connection, node, cancellationToken),
        "call" => SendAckAsync(connection, node, cancellationToken),
        _ => Task.CompletedTask,
    };

    private async Task HandleServerIqAsync(LiveConnection connection, Node iq, CancellationToken cancellationToken)
    {
        var first = iq.Children.Count > 0 ? iq.Children[0] : null;
        switch (first?.Tag)
        {
            case "pair-device":
                await HandlePairDeviceAsync(connection, iq, first, cancellationToken).ConfigureAwait(false);
                break;
            case "pair-success":
                await HandlePairSuccessAsync(connection, iq, cancellationToken).ConfigureAwait(false);
                break;
            default:
                if (iq.GetAttribute("type") == "get" && iq.GetAttribute("id") is { } id)
                {
                    // The server's own pings (urn:xmpp:ping) expect an empty result.
                    await SendNodeAsync(connection, Stanza.Make("iq", Stanza.Attrs(("to", Stanza.Server), ("type", "result"), ("id", id))), cancellationToken).ConfigureAwait(false);
                }

                break;
        }
    }

    /// <summary>Ends a connection once: stops its loops, fails its iqs, closes the socket, reports why.</summary>
    private async Task EndAsync(LiveConnection connection, DisconnectReason reason)
    {
        if (!connection.TryEnd())
        {
            return;
        }

        await connection.Stop.CancelAsync().ConfigureAwait(false);
        connection.Iqs.FailAll(new WaConnectionException(reason));
        FailPendingAcks();
        connection.Login.TrySetException(new WaConnectionException(reason));
        connection.QrTimer?.Dispose();
        await connection.Socket.DisposeAsync().ConfigureAwait(false);
        if (ReferenceEquals(live, connection))
        {
            live = null;
        }

        // After pairing WhatsApp asks for a restart (515); the login that follows is ours to do.
        if (reason is { Kind: DisconnectKind.ServerError, Code: 515 } && credentials is { Registered: true } && Volatile.Read(ref disposed) == 0)
        {
            log.LogInformation("restart requested by the server; logging in");
            _ = Task.Run(RestartAsync, CancellationToken.None);
            return;
        }

        log.LogInformation("disconnected: {Kind} {Code}", reason.Kind, reason.Code);
        await ForgetAcknowledgedAsync().ConfigureAwait(false);
        Emit(new DisconnectedEvent(reason));
    }

    private async Task RestartAsync()
    {
        await lifecycleGate.WaitAsync(lifetime.Token).ConfigureAwait(false);
        try
        {
            await OpenAsync(lifetime.Token).ConfigureAwait(false);
        }
        catch (WaConnectionException)
        {
            // EndAsync already reported the reason.
        }
        catch (Exception ex) when (ex is ConnectionException or OperationCanceledException or TimeoutException)
        {
            Emit(new DisconnectedEvent(new DisconnectReason(DisconnectKind.ConnectionLost, Detail: ex.GetType().Name)));
        }
        finally
        {
            lifecycleGate.Release();
        }
    }

    /// <summary>stream:error code=N (or a conflict child) and failure reason=N, as typed reasons.</summary>
    internal static DisconnectReason ReasonOf(Node node)
    {
        if (node.Tag == "failure")
        {
            return DisconnectReason.FromServerCode((int)(node.GetInt64Attribute("reason") ?? 401), node.GetAttribute("location"));
        }

        if (node.GetInt64Attribute("code") is { } code)
        {
            return DisconnectReason.FromServerCode((int)code);
        }

        var child = node.Children.Count > 0 ? node.Children[0] : null;
        return child switch
        {
            { Tag: "conflict" } when child.GetAttribute("type") == "device_removed" =>
                new DisconnectReason(DisconnectKind.LoggedOut, 401, "device_removed"),
            { Tag: "conflict" } => new DisconnectReason(DisconnectKind.Replaced, 440, child.GetAttribute("type")),
            _ => new DisconnectReason(DisconnectKind.ServerError, 500, child?.Tag),
        };
    }
}
