using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Client.Connection;
using Gateway.WebProtocol.Client.Prekeys;
using Gateway.WebProtocol.Signal;
using Microsoft.Extensions.Logging;

namespace Gateway.WebProtocol.Client;

public sealed partial class WaClient
{
    /// <summary>What WhatsApp Web awaits before "open": prekey count (and upload), passive active, digest; then presence.</summary>
    private async Task RunPostLoginAsync(LiveConnection connection, CancellationToken cancellationToken)
    {
        await UploadPreKeysIfNeededAsync(connection, cancellationToken).ConfigureAwait(false);
        await QueryAsync(
            connection,
            id => Stanza.Make("iq", Stanza.Attrs(("id", id), ("to", Stanza.Server), ("type", "set"), ("xmlns", "passive")), Stanza.Make("active")),
            cancellationToken).ConfigureAwait(false);
        try
        {
            await QueryAsync(connection, PreKeyCodec.BuildDigest, cancellationToken).ConfigureAwait(false);
        }
        catch (IqException ex)
        {
            // A digest mismatch is repaired by the next upload; it does not block the login.
            log.LogInformation("prekey digest refused: {Code}", ex.Code);
        }

        await SendNodeAsync(
            connection,
            new Node("presence", Stanza.Attrs(("name", options.Payload.PushName), ("type", "available"))),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task UploadPreKeysIfNeededAsync(LiveConnection connection, CancellationToken cancellationToken)
    {
        var count = PreKeyCodec.ParseCount(await QueryAsync(connection, PreKeyCodec.BuildCount, cancellationToken).ConfigureAwait(false));
        if (count == 0)
        {
            await UploadPreKeysAsync(connection, options.InitialPreKeyCount, cancellationToken).ConfigureAwait(false);
        }
        else if (count <= options.LowPreKeyThreshold)
        {
            await UploadPreKeysAsync(connection, options.LowPreKeyThreshold, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Generates <paramref name="count"/> new one-time prekeys, stores them, uploads them, advances the ids.</summary>
    private async Task UploadPreKeysAsync(LiveConnection connection, int count, CancellationToken cancellationToken)
    {
        var creds = Creds;
        var first = (uint)creds.NextPreKeyId;
        var preKeys = KeyHelper.GeneratePreKeys(first, count, options.Random);
        await ActiveSignal.PreKeys.StorePreKeysAsync(preKeys.ToArray(), cancellationToken).ConfigureAwait(false);
        await SaveCredentialsAsync(creds with { NextPreKeyId = (int)first + count }, cancellationToken).ConfigureAwait(false);
        var signed = new SignedPreKeyRecord(
            (uint)creds.SignedPreKeyId, new KeyPair(creds.SignedPreKeyPublic, creds.SignedPreKeyPrivate), creds.SignedPreKeySignature, 0);
        await QueryAsync(
            connection,
            id => PreKeyCodec.BuildUpload(id, (uint)creds.RegistrationId, creds.IdentityPublicKey, preKeys, signed),
            cancellationToken).ConfigureAwait(false);
        await SaveCredentialsAsync(Creds with { FirstUnuploadedPreKeyId = (int)first + count }, cancellationToken).ConfigureAwait(false);
        log.LogInformation("uploaded {Count} prekeys", count);
    }

    private async Task HandleNotificationAsync(LiveConnection connection, Node notification, CancellationToken cancellationToken)
    {
        switch (notification.GetAttribute("type"))
        {
            case "encrypt" when notification.GetChild("count") is { } countNode:
                // The server runs low on our one-time prekeys.
                if ((countNode.GetInt64Attribute("value") ?? 0) < options.LowPreKeyThreshold && connection.IsLoggedIn)
                {
                    await SendAckAsync(connection, notification, cancellationToken).ConfigureAwait(false);
                    await UploadPreKeysAsync(connection, options.InitialPreKeyCount, cancellationToken).ConfigureAwait(false);
                    return;
                }

                break;
            case "devices":
                // A user linked or removed a device: their cached list is stale.
                if (notification.GetJidAttribute("from") is { } from)
                {
                    await stores.DeviceLists.RemoveAsync([from.ToNonDevice().ToString()], cancellationToken).ConfigureAwait(false);
                }

                break;
            case "link_code_companion_reg" when notification.GetChild("link_code_companion_reg") is { } registration:
                await SendAckAsync(connection, notification, cancellationToken).ConfigureAwait(false);
                await HandleLinkCodeNotificationAsync(connection, registration, cancellationToken).ConfigureAwait(false);
                return;
        }

        await SendAckAsync(connection, notification, cancellationToken).ConfigureAwait(false);
    }
}
