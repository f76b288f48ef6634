using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Client.Pairing;
using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Types;
using Microsoft.Extensions.Logging;

namespace Gateway.WebProtocol.Client;

public sealed partial class WaClient
{
    private string? pairingCode;
    private KeyPair? pairingEphemeral;
    private Jid? pairingPhone;

    /// <summary>
    /// Asks to link by phone number instead of QR: returns the 8-character code the user types on the phone
    /// (also raised as <see cref="PairingCodeEvent"/>). Only while <see cref="ConnectOutcome.AwaitingPairing"/>.
    /// </summary>
    public async Task<string> RequestPairingCodeAsync(string phoneNumber, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(phoneNumber);
        if (!phoneNumber.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("a phone number is digits only, with the country code", nameof(phoneNumber));
        }

        var connection = live is { IsLoggedIn: false, HasEnded: false } l && !Creds.Registered
            ? l
            : throw new InvalidOperationException("a pairing code can only be requested while waiting for pairing");
        var code = PairingCodeCrypto.NewCode(options.Random);
        var ephemeral = Curve25519.GenerateKeyPair(options.Random);
        var phone = new Jid(phoneNumber, JidServer.User);
        pairingCode = code;
        pairingEphemeral = ephemeral;
        pairingPhone = phone;
        var wrapped = PairingCodeCrypto.WrapEphemeral(code, ephemeral.PublicKey, options.Random);
        await QueryAsync(
            connection,
            id => Stanza.Make(
                "iq",
                Stanza.Attrs(("id", id), ("to", Stanza.Server), ("type", "set"), ("xmlns", "md")),
                Stanza.Make(
                    "link_code_companion_reg",
                    Stanza.Attrs(("jid", phone.ToString()), ("stage", "companion_hello"), ("should_show_push_notification", "true")),
                    Stanza.Bytes("link_code_pairing_wrapped_companion_ephemeral_pub", wrapped),
                    Stanza.Bytes("companion_server_auth_key_pub", Creds.NoisePublicKey),
                    Stanza.Bytes("companion_platform_id", System.Text.Encoding.ASCII.GetBytes(QrText.CompanionPlatformId(options.Payload.PlatformType))),
                    Stanza.Bytes("companion_platform_display", System.Text.Encoding.UTF8.GetBytes($"{options.Payload.PlatformType} ({options.Payload.DeviceOs})")),
                    Stanza.Bytes("link_code_pairing_nonce", "0"u8.ToArray()))),
            cancellationToken).ConfigureAwait(false);
        connection.QrTimer?.Dispose();
        Emit(new PairingCodeEvent(code));
        return code;
    }

    /// <summary>The phone typed our code: finish the key exchange; the new ADV secret checks the coming pair-success.</summary>
    private async Task HandleLinkCodeNotificationAsync(LiveConnection connection, Node registration, CancellationToken cancellationToken)
    {
        if (pairingCode is not { } code || pairingEphemeral is not { } ephemeral || pairingPhone is not { } phone)
        {
            log.LogWarning("link code notification without a pending pairing code");
            return;
        }

        var reference = registration.GetChild("link_code_pairing_ref")?.Bytes ?? throw new WireFormatException("link code notification has no ref");
        var primaryIdentity = registration.GetChild("primary_identity_pub")?.Bytes ?? throw new WireFormatException("link code notification has no identity");
        var wrapped = registration.GetChild("link_code_pairing_wrapped_primary_ephemeral_pub")?.Bytes
            ?? throw new WireFormatException("link code notification has no ephemeral key");
        var primaryEphemeral = PairingCodeCrypto.UnwrapEphemeral(code, wrapped);
        var identity = new KeyPair(Creds.IdentityPublicKey, Creds.IdentityPrivateKey);
        var (bundle, advSecret) = PairingCodeCrypto.Finish(ephemeral, primaryEphemeral, identity, primaryIdentity, options.Random);
        await SaveCredentialsAsync(Creds with { AdvSecretKey = advSecret }, cancellationToken).ConfigureAwait(false);
        await QueryAsync(
            connection,
            id => Stanza.Make(
                "iq",
                Stanza.Attrs(("id", id), ("to", Stanza.Server), ("type", "set"), ("xmlns", "md")),
                Stanza.Make(
                    "link_code_companion_reg",
                    Stanza.Attrs(("jid", phone.ToString()), ("stage", "companion_finish")),
                    Stanza.Bytes("link_code_pairing_wrapped_key_bundle", bundle),
                    Stanza.Bytes("companion_identity_public", Creds.IdentityPublicKey),
                    Stanza.Bytes("link_code_pairing_ref", reference))),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task HandlePairDeviceAsync(LiveConnection connection, Node iq, Node pairDevice, CancellationToken cancellationToken)
    {
        await SendNodeAsync(
            connection,
            Stanza.Make("iq", Stanza.Attrs(("to", Stanza.Server), ("type", "result"), ("id", iq.GetAttribute("id")))),
            cancellationToken).ConfigureAwait(false);
        foreach (var reference in pairDevice.GetChildren("ref"))
        {
            if (reference.Bytes is { } bytes)
            {
                connection.QrRefs.Enqueue(System.Text.Encoding.UTF8.GetString(bytes));
            }
            else if (reference.Text is { } text)
            {
                connection.QrRefs.Enqueue(text);
            }
        }

        if (pairingCode is null)
        {
            ShowNextQr(connection);
        }
    }

    /// <summary>Shows the next ref as a QR code and schedules the one after; out of refs (or over the cap) ends the connection.</summary>
    private void ShowNextQr(LiveConnection connection)
    {
        if (connection.HasEnded || connection.IsLoggedIn || Creds.Registered)
        {
            return;
        }

        connection.QrTimer?.Dispose();
        if (connection.QrShown >= options.MaxQrCodes || !connection.QrRefs.TryDequeue(out var reference))
        {
            _ = EndAsync(connection, new DisconnectReason(DisconnectKind.QrTimeout, 408, "QR refs attempts ended"));
            return;
        }

        var lifetime = connection.QrShown == 0 ? options.FirstQrLifetime : options.NextQrLifetime;
        connection.QrShown++;
        var creds = Creds;
        var text = QrText.Build(reference, creds.NoisePublicKey, creds.IdentityPublicKey, creds.AdvSecretKey, options.Payload.PlatformType);
        Emit(new QrCodeEvent(text, Time.GetUtcNow() + lifetime, connection.QrShown));
        connection.QrTimer = Time.CreateTimer(_ => ShowNextQr(connection), null, lifetime, Timeout.InfiniteTimeSpan);
    }

    private async Task HandlePairSuccessAsync(LiveConnection connection, Node iq, CancellationToken cancellationToken)
    {
        connection.QrTimer?.Dispose();
        var creds = Creds;
        PairSuccessResult result;
        try
        {
            result = PairSuccess.Verify(iq, creds.AdvSecretKey, new KeyPair(creds.IdentityPublicKey, creds.IdentityPrivateKey));
        }
        catch (PairingException ex)
        {
            log.LogWarning("pair-success rejected: {Reason}", ex.Message);
            if (iq.GetAttribute("id") is { } id)
            {
                await SendNodeAsync(connection, PairSuccess.ErrorReply(id), cancellationToken).ConfigureAwait(false);
            }

            await EndAsync(connection, new DisconnectReason(DisconnectKind.PairingFailed, Detail: ex.Message)).ConfigureAwait(false);
            return;
        }

        var lid = result.Lid is { IsLid: true } l ? new Jid(l.User, JidServer.Lid, result.Device.Device) : (Jid?)null;
        await SaveCredentialsAsync(
            creds with
            {
                Registered = true,
                MePn = result.Device.ToString(),
                MeLid = lid?.ToString(),
                AccountIdentity = result.SignedDeviceIdentity,
                Platform = result.Platform,
            },
            cancellationToken).ConfigureAwait(false);
        if (lid is { } meLid)
        {
            await stores.LidMap.StoreMappingsAsync([new LidPnMapping(meLid.User, result.Device.User)], cancellationToken).ConfigureAwait(false);
        }

        await SendNodeAsync(connection, result.Reply, cancellationToken).ConfigureAwait(false);
        log.LogInformation("paired as {Device}", Devices.Addressing.Mask(result.Device));
        Emit(new PairedEvent(result.Device, lid, result.Platform));
    }
}
