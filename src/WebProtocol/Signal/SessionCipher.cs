using System.Security.Cryptography;
using Gateway.WebProtocol.Signal.Storage;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// Encrypts and decrypts 1:1 messages with the stored sessions. A failed decrypt throws
/// <see cref="SignalProtocolException"/> and stores nothing. Calls for the same address must not overlap;
/// the client serialises them (libsignal's per-address job queue).
/// </summary>
public sealed class SessionCipher(SignalStores stores, RandomNumberGenerator random)
{
    private readonly SignalStores stores = stores ?? throw new ArgumentNullException(nameof(stores));
    private readonly RandomNumberGenerator random = random ?? throw new ArgumentNullException(nameof(random));

    public async Task<CiphertextMessage> EncryptAsync(ProtocolAddress remote, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        var record = await stores.Sessions.LoadSessionAsync(remote, cancellationToken).ConfigureAwait(false)
            ?? throw new SignalProtocolException(SignalError.NoSession, "No session for this address.");
        var result = await EncryptAsync(remote, record, plaintext, cancellationToken).ConfigureAwait(false);
        await stores.Sessions.StoreSessionAsync(remote, record, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Encrypts with a record the caller loaded and will store, e.g. a batch for all of a user's devices.</summary>
    public async Task<CiphertextMessage> EncryptAsync(
        ProtocolAddress remote, SessionRecord record, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var session = record.Structure.CurrentSession
            ?? throw new SignalProtocolException(SignalError.NoSession, "No open session for this address.");
        var remoteIdentity = session.RemoteIdentityPublic.ToByteArray();
        if (!await stores.Identities.IsTrustedIdentityAsync(remote, remoteIdentity, TrustDirection.Sending, cancellationToken).ConfigureAwait(false))
        {
            throw new SignalProtocolException(SignalError.UntrustedIdentity, "The session's identity key is no longer trusted.");
        }

        var registrationId = session.PendingPreKey is null
            ? 0
            : await stores.Identities.GetLocalRegistrationIdAsync(cancellationToken).ConfigureAwait(false);
        return Encrypt(session, plaintext.Span, registrationId);
    }

    public async Task<byte[]> DecryptAsync(
        ProtocolAddress remote, CiphertextType type, ReadOnlyMemory<byte> ciphertext, CancellationToken cancellationToken) =>
        type switch
        {
            CiphertextType.Whisper => await DecryptSignalMessageAsync(remote, ciphertext, cancellationToken).ConfigureAwait(false),
            CiphertextType.PreKey => await DecryptPreKeySignalMessageAsync(remote, ciphertext, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };

    public async Task<byte[]> DecryptSignalMessageAsync(ProtocolAddress remote, ReadOnlyMemory<byte> ciphertext, CancellationToken cancellationToken)
    {
        var message = ParseOrThrow(() => SignalMessage.Parse(ciphertext.Span));
        var record = await stores.Sessions.LoadSessionAsync(remote, cancellationToken).ConfigureAwait(false)
            ?? throw new SignalProtocolException(SignalError.NoSession, "No session for this address.");
        var (plaintext, session) = DecryptWithAnySession(record, message);
        await RequireTrustedAsync(remote, session.RemoteIdentityPublic.ToByteArray(), cancellationToken).ConfigureAwait(false);
        await stores.Sessions.StoreSessionAsync(remote, record, cancellationToken).ConfigureAwait(false);
        return plaintext;
    }

    public async Task<byte[]> DecryptPreKeySignalMessageAsync(ProtocolAddress remote, ReadOnlyMemory<byte> ciphertext, CancellationToken cancellationToken)
    {
        var message = ParseOrThrow(() => PreKeySignalMessage.Parse(ciphertext.Span));
        await RequireTrustedAsync(remote, message.IdentityKey, cancellationToken).ConfigureAwait(false);
        var record = await stores.Sessions.LoadSessionAsync(remote, cancellationToken).ConfigureAwait(false) ?? new SessionRecord();

        byte[] plaintext;
        uint? consumedPreKey = null;
        var slot = SessionArchive.FindByTheirBaseKey(record, message.BaseKey);
        if (slot >= 0)
        {
            // The peer has not seen our reply yet and still sends prekey messages on the same session.
            var session = SessionArchive.Get(record, slot).Clone();
            plaintext = Decrypt(session, message.Message);
            SessionArchive.Set(record, slot, session);
        }
        else
        {
            var ourIdentity = await stores.Identities.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
            var signedPreKey = await stores.SignedPreKeys.LoadSignedPreKeyAsync(message.SignedPreKeyId, cancellationToken).ConfigureAwait(false)
                ?? throw new SignalProtocolException(SignalError.UnknownPreKey, "Unknown signed prekey.");
            PreKeyRecord? preKey = null;
            if (message.PreKeyId is { } preKeyId)
            {
                preKey = await stores.PreKeys.LoadPreKeyAsync(preKeyId, cancellationToken).ConfigureAwait(false)
                    ?? throw new SignalProtocolException(SignalError.UnknownPreKey, "Unknown one-time prekey.");
                consumedPreKey = preKeyId;
            }

            var session = SessionBuilder.RespondToSession(ourIdentity, signedPreKey.KeyPair, preKey?.KeyPair, message);
            plaintext = Decrypt(session, message.Message);
            SessionArchive.Promote(record, session);
        }

        await stores.Sessions.StoreSessionAsync(remote, record, cancellationToken).ConfigureAwait(false);
        await stores.Identities.SaveIdentityAsync(remote, message.IdentityKey, cancellationToken).ConfigureAwait(false);
        if (consumedPreKey is { } used)
        {
            await stores.PreKeys.RemovePreKeyAsync(used, cancellationToken).ConfigureAwait(false);
        }

        return plaintext;
    }

    private CiphertextMessage Encrypt(SessionStructure session, ReadOnlySpan<byte> plaintext, uint localRegistrationId)
    {
        var seed = SessionState.NextSendingSeed(session, out var counter);
        Span<byte> keys = stackalloc byte[80];
        RatchetKeys.MessageKeys(seed, keys);
        var ciphertext = SignalCrypto.EncryptCbc(keys[..32], keys[64..80], plaintext);
        var message = SignalMessage.Create(
            keys[32..64],
            session.SenderChain.RatchetPublicKey.ToByteArray(),
            counter,
            session.PreviousCounter,
            ciphertext,
            session.LocalIdentityPublic.Span,
            session.RemoteIdentityPublic.Span);
        CryptographicOperations.ZeroMemory(keys);
        if (session.PendingPreKey is not { } pending)
        {
            return new CiphertextMessage(CiphertextType.Whisper, message.Serialized, session.RemoteRegistrationId);
        }

        var preKeyMessage = PreKeySignalMessage.Create(
            localRegistrationId,
            pending.HasPreKeyId ? pending.PreKeyId : null,
            pending.SignedPreKeyId,
            pending.BaseKey.ToByteArray(),
            session.LocalIdentityPublic.ToByteArray(),
            message);
        return new CiphertextMessage(CiphertextType.PreKey, preKeyMessage.Serialized, session.RemoteRegistrationId);
    }

    /// <summary>Tries the open session, then the closed ones; the first that authenticates the message wins.</summary>
    private (byte[] Plaintext, SessionStructure Session) DecryptWithAnySession(SessionRecord record, SignalMessage message)
    {
        var count = SessionArchive.SlotCount(record);
        if (count == 0)
        {
            throw new SignalProtocolException(SignalError.NoSession, "The session record is empty.");
        }

        SignalProtocolException? reported = null;
        for (var slot = 0; slot < count; slot++)
        {
            var candidate = SessionArchive.Get(record, slot).Clone();
            try
            {
                var plaintext = Decrypt(candidate, message);
                SessionArchive.Set(record, slot, candidate);
                return (plaintext, candidate);
            }
            catch (SignalProtocolException e)
            {
                // A duplicate is the most telling answer; otherwise report what the open session said.
                if (reported is null || e.Error == SignalError.DuplicateMessage)
                {
                    reported = e;
                }
            }
        }

        throw reported!;
    }

    private byte[] Decrypt(SessionStructure session, SignalMessage message)
    {
        var seed = SessionState.ReceivingSeed(session, message.SenderRatchetKey, message.Counter, message.PreviousCounter, random);
        Span<byte> keys = stackalloc byte[80];
        RatchetKeys.MessageKeys(seed, keys);
        try
        {
            if (!message.VerifyMac(keys[32..64], session.RemoteIdentityPublic.Span, session.LocalIdentityPublic.Span))
            {
                throw new SignalProtocolException(SignalError.InvalidMac, "The message's MAC does not match.");
            }

            var plaintext = SignalCrypto.DecryptCbc(keys[..32], keys[64..80], message.Ciphertext)
                ?? throw new SignalProtocolException(SignalError.InvalidMessage, "The ciphertext does not decrypt.");
            session.PendingPreKey = null;
            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    private async Task RequireTrustedAsync(ProtocolAddress remote, byte[] identityKey, CancellationToken cancellationToken)
    {
        if (!await stores.Identities.IsTrustedIdentityAsync(remote, identityKey, TrustDirection.Receiving, cancellationToken).ConfigureAwait(false))
        {
            throw new SignalProtocolException(SignalError.UntrustedIdentity, "The sender's identity key is not trusted.");
        }
    }

    private static T ParseOrThrow<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (WireFormatException e)
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, "The message is malformed.", e);
        }
    }
}
