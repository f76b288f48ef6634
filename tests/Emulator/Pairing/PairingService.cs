using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gateway.Emulator.Accounts;
using Gateway.Emulator.Connections;
using Gateway.WebProtocol.Binary;
using Gateway.WebProtocol.Signal;
using static Gateway.Emulator.Stanzas.StanzaBuilder;

namespace Gateway.Emulator.Pairing;

/// <summary>
/// Registration connections and the emulated phone that links them: pair-device refs, "scanning" a QR,
/// the primary's side of pairing by code, then pair-success, pair-device-sign and the 515 restart.
/// </summary>
internal sealed class PairingService(AccountDirectory accounts, EmulatorOptions options)
{
    private readonly ConcurrentDictionary<string, PairingSession> byRef = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PairingSession> byLinkCodePhone = new(StringComparer.Ordinal);
    private TimeProvider Time => options.TimeProvider;

    /// <summary>Starts pairing for a registration connection: remembers it and sends the refs.</summary>
    public void Begin(EmulatorConnection connection, byte[] noiseKey, RegistrationData registration)
    {
        var refs = Enumerable.Range(0, options.QrRefCount)
            .Select(_ => "2@" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(33)))
            .ToArray();
        var session = new PairingSession(connection, noiseKey, registration, refs);
        connection.Pairing = session;
        foreach (var r in refs)
        {
            byRef[r] = session;
        }

        var refNodes = refs.Select(r => Bytes("ref", System.Text.Encoding.UTF8.GetBytes(r))).ToArray();
        connection.Post(Make("iq", Attrs(("from", ServerJid), ("type", "set"), ("id", NewId()), ("xmlns", "md")),
            Make("pair-device", null, refNodes)));
    }

    public void End(PairingSession session)
    {
        foreach (var r in session.Refs)
        {
            byRef.TryRemove(r, out _);
        }

        if (session.LinkCode is { } linkCode)
        {
            byLinkCodePhone.TryRemove(new KeyValuePair<string, PairingSession>(linkCode.Phone, session));
        }
    }

    /// <summary>The phone scans <paramref name="qrText"/>: links the waiting companion to <paramref name="phone"/>'s account.</summary>
    public async Task<PairedDevice> ScanAsync(string qrText, string phone, CancellationToken cancellationToken)
    {
        var qr = QrCode.Parse(qrText);
        if (!byRef.TryGetValue(qr.Ref, out var session))
        {
            throw new InvalidOperationException("no connection is waiting with that QR ref");
        }

        if (!CryptographicOperations.FixedTimeEquals(qr.NoiseKey, session.NoiseKey)
            || !CryptographicOperations.FixedTimeEquals(qr.IdentityKey, session.Registration.IdentityKey))
        {
            throw new InvalidOperationException("the QR keys do not match the waiting connection");
        }

        if (!session.TryClaim())
        {
            throw new InvalidOperationException("that connection is already being paired");
        }

        return await CompleteAsync(session, accounts.GetOrCreate(phone), qr.AdvSecret, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>companion_hello / companion_finish iqs of pairing by code.</summary>
    public void HandleLinkCodeIq(EmulatorConnection connection, Node iq, Node request)
    {
        var session = connection.Pairing;
        var stage = request.GetAttribute("stage");
        if (session is null)
        {
            connection.Post(IqResult(iq));
            return;
        }

        if (stage == "companion_hello")
        {
            var jid = request.GetRequiredJidAttribute("jid");
            var wrapped = request.GetRequiredChild("link_code_pairing_wrapped_companion_ephemeral_pub").Bytes
                ?? throw new Gateway.WebProtocol.WireFormatException("wrapped companion ephemeral has no bytes");
            var linkCode = new LinkCodeRequest(jid.User, wrapped, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
            session.LinkCode = linkCode;
            byLinkCodePhone[jid.User] = session;
            connection.Post(IqResult(iq, Make("link_code_companion_reg", null,
                Bytes("link_code_pairing_ref", System.Text.Encoding.UTF8.GetBytes(linkCode.Ref)))));
            return;
        }

        connection.Post(IqResult(iq));
        if (stage == "companion_finish")
        {
            session.LinkCode?.Finish.TrySetResult(request);
        }
    }

    /// <summary>The phone's user typed <paramref name="code"/>: run the primary's half and link the companion.</summary>
    public async Task<PairedDevice> SubmitCodeAsync(string phone, string code, CancellationToken cancellationToken)
    {
        if (!byLinkCodePhone.TryGetValue(phone, out var session) || session.LinkCode is not { } request)
        {
            throw new InvalidOperationException("no companion asked for a pairing code for that phone");
        }

        if (!session.TryClaim())
        {
            throw new InvalidOperationException("that connection is already being paired");
        }

        var account = accounts.GetOrCreate(phone);
        var companionEphemeral = LinkCodeCrypto.Unwrap(code, request.WrappedCompanionEphemeral);
        var primaryEphemeral = Curve25519.GenerateKeyPair();
        session.Connection.Post(Make("notification",
            Attrs(("from", ServerJid), ("id", NewId()), ("type", "link_code_companion_reg"), ("t", Seconds(Time))),
            Make("link_code_companion_reg", null,
                Bytes("link_code_pairing_ref", System.Text.Encoding.UTF8.GetBytes(request.Ref)),
                Bytes("primary_identity_pub", account.AccountKey.PublicKey),
                Bytes("link_code_pairing_wrapped_primary_ephemeral_pub", LinkCodeCrypto.Wrap(code, primaryEphemeral.PublicKey)))));

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Connection.Lifetime);
        var finish = await request.Finish.Task.WaitAsync(options.PairingReplyTimeout, linked.Token).ConfigureAwait(false);
        var bundle = finish.GetChild("link_code_pairing_wrapped_key_bundle")?.Bytes
            ?? throw new InvalidOperationException("companion_finish has no key bundle");
        var shared = SafeAgreement(companionEphemeral, primaryEphemeral.PrivateKey);
        var opened = shared is null ? null : LinkCodeCrypto.OpenKeyBundle(shared, bundle);
        if (opened is not { Length: 96 } || !opened.AsSpan(0, 32).SequenceEqual(session.Registration.IdentityKey)
            || !opened.AsSpan(32, 32).SequenceEqual(account.AccountKey.PublicKey))
        {
            session.Connection.PostFailureAndClose(401);
            throw new InvalidOperationException("the companion's key bundle does not open: wrong pairing code");
        }

        var identityShared = Curve25519.CalculateAgreement(session.Registration.IdentityKey, account.AccountKey.PrivateKey);
        var advSecret = LinkCodeCrypto.DeriveAdvSecret([.. shared!, .. identityShared, .. opened.AsSpan(64, 32)]);
        return await CompleteAsync(session, account, advSecret, cancellationToken).ConfigureAwait(false);
    }

    private static byte[]? SafeAgreement(byte[] publicKey, byte[] privateKey)
    {
        try
        {
            return Curve25519.CalculateAgreement(publicKey, privateKey);
        }
        catch (ArgumentException)
        {
            return null; // a wrong code can unwrap to a low-order point
        }
    }

    private async Task<PairedDevice> CompleteAsync(PairingSession session, Account account, byte[] advSecret, CancellationToken cancellationToken)
    {
        var (number, keyIndex) = account.ReserveSlot();
        var registration = session.Registration;
        var identity = AdvIdentityIssuer.Issue(account, keyIndex, registration.IdentityKey, advSecret, Time);
        var pnJid = new Gateway.WebProtocol.Types.Jid(account.Phone, Gateway.WebProtocol.Types.JidServer.User, number);
        var lidJid = new Gateway.WebProtocol.Types.Jid(account.Lid, Gateway.WebProtocol.Types.JidServer.Lid, number);
        var success = Make("iq", Attrs(("from", ServerJid), ("type", "set"), ("id", NewId()), ("xmlns", "md"), ("t", Seconds(Time))),
            Make("pair-success", null,
                Bytes("device-identity", identity),
                Make("platform", Attrs(("name", "smba"))),
                Make("device", Attrs(("jid", pnJid.ToString()), ("lid", lidJid.ToString())))));
        var reply = await session.Connection.QueryAsync(success, options.PairingReplyTimeout, cancellationToken).ConfigureAwait(false);
        var signed = reply.GetChildByPath("pair-device-sign", "device-identity")?.Bytes;
        if (reply.GetAttribute("type") != "result" || signed is null
            || !AdvIdentityIssuer.VerifyDeviceSignature(account, registration.IdentityKey, signed))
        {
            session.Connection.PostFailureAndClose(401);
            throw new InvalidOperationException("the companion did not counter-sign its identity");
        }

        var device = new Device(account, number, keyIndex, session.NoiseKey, registration.IdentityKey,
            registration.RegistrationId, registration.SignedPreKey);
        account.Add(device);
        End(session);
        session.Connection.PostStreamErrorAndClose(515);
        return new PairedDevice(pnJid.ToString(), lidJid.ToString());
    }

    internal static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
}
