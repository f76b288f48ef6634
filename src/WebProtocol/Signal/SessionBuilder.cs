using System.Security.Cryptography;
using Gateway.WebProtocol.Signal.Storage;
using Gateway.WebProtocol.Signal.Stores;
using Google.Protobuf;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// Starts sessions with X3DH as libsignal does: from a peer's prekey bundle (we initiate) or from an incoming
/// prekey message (they did). A new session becomes the open one; the previous open session is kept,
/// closed, so late messages for it still decrypt.
/// </summary>
public sealed class SessionBuilder(SignalStores stores, RandomNumberGenerator random)
{
    private readonly SignalStores stores = stores ?? throw new ArgumentNullException(nameof(stores));
    private readonly RandomNumberGenerator random = random ?? throw new ArgumentNullException(nameof(random));

    /// <summary>Verifies the bundle, runs X3DH and stores the new session for <paramref name="remote"/>.</summary>
    public async Task ProcessBundleAsync(ProtocolAddress remote, PreKeyBundle bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var record = await stores.Sessions.LoadSessionAsync(remote, cancellationToken).ConfigureAwait(false) ?? new SessionRecord();
        var ourIdentity = await stores.Identities.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        await ProcessBundleAsync(remote, bundle, record, ourIdentity, cancellationToken).ConfigureAwait(false);
        await stores.Sessions.StoreSessionAsync(remote, record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As above on a record the caller loaded and will store (batch sends to many devices).</summary>
    public async Task ProcessBundleAsync(
        ProtocolAddress remote, PreKeyBundle bundle, SessionRecord record, KeyPair ourIdentity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(ourIdentity);
        CheckBundle(bundle);
        if (!await stores.Identities.IsTrustedIdentityAsync(remote, bundle.IdentityKey, TrustDirection.Sending, cancellationToken).ConfigureAwait(false))
        {
            throw new SignalProtocolException(SignalError.UntrustedIdentity, "The bundle's identity key is not trusted.");
        }

        var session = InitiateSession(ourIdentity, bundle);
        SessionArchive.Promote(record, session);
        await stores.Identities.SaveIdentityAsync(remote, bundle.IdentityKey, cancellationToken).ConfigureAwait(false);
    }

    private SessionStructure InitiateSession(KeyPair ourIdentity, PreKeyBundle bundle)
    {
        var baseKey = Curve25519.GenerateKeyPair(random);
        var agreements = new List<byte[]>(4)
        {
            Curve25519.CalculateAgreement(bundle.SignedPreKey, ourIdentity.PrivateKey),
            Curve25519.CalculateAgreement(bundle.IdentityKey, baseKey.PrivateKey),
            Curve25519.CalculateAgreement(bundle.SignedPreKey, baseKey.PrivateKey),
        };
        if (bundle.PreKey is not null)
        {
            agreements.Add(Curve25519.CalculateAgreement(bundle.PreKey, baseKey.PrivateKey));
        }

        var rootKey = RatchetKeys.RootKeyFromAgreements(agreements);
        var ratchet = Curve25519.GenerateKeyPair(random);
        var (nextRootKey, sendingChainKey) = RatchetKeys.Step(rootKey, bundle.SignedPreKey, ratchet.PrivateKey);
        var pending = new PendingPreKeyStructure
        {
            SignedPreKeyId = bundle.SignedPreKeyId,
            BaseKey = UnsafeByteOperations.UnsafeWrap(baseKey.PublicKey),
        };
        if (bundle.PreKeyId is { } preKeyId)
        {
            pending.HasPreKeyId = true;
            pending.PreKeyId = preKeyId;
        }

        return new SessionStructure
        {
            RemoteRegistrationId = bundle.RegistrationId,
            LocalIdentityPublic = ByteString.CopyFrom(ourIdentity.PublicKey),
            RemoteIdentityPublic = ByteString.CopyFrom(bundle.IdentityKey),
            RootKey = UnsafeByteOperations.UnsafeWrap(nextRootKey),
            SenderChain = SessionState.NewSenderChain(ratchet, sendingChainKey),
            LastRemoteRatchetKey = ByteString.CopyFrom(bundle.SignedPreKey),
            PendingPreKey = pending,
            BaseKey = UnsafeByteOperations.UnsafeWrap(baseKey.PublicKey),
            BaseKeyIsOurs = true,
        };
    }

    /// <summary>Bob's side of X3DH: our signed (and maybe one-time) prekey against their base key.</summary>
    internal static SessionStructure RespondToSession(
        KeyPair ourIdentity, KeyPair ourSignedPreKey, KeyPair? ourOneTimePreKey, PreKeySignalMessage message)
    {
        var agreements = new List<byte[]>(4)
        {
            Curve25519.CalculateAgreement(message.IdentityKey, ourSignedPreKey.PrivateKey),
            Curve25519.CalculateAgreement(message.BaseKey, ourIdentity.PrivateKey),
            Curve25519.CalculateAgreement(message.BaseKey, ourSignedPreKey.PrivateKey),
        };
        if (ourOneTimePreKey is not null)
        {
            agreements.Add(Curve25519.CalculateAgreement(message.BaseKey, ourOneTimePreKey.PrivateKey));
        }

        return new SessionStructure
        {
            RemoteRegistrationId = message.RegistrationId,
            LocalIdentityPublic = ByteString.CopyFrom(ourIdentity.PublicKey),
            RemoteIdentityPublic = ByteString.CopyFrom(message.IdentityKey),
            RootKey = UnsafeByteOperations.UnsafeWrap(RatchetKeys.RootKeyFromAgreements(agreements)),
            SenderChain = SessionState.NewSenderChain(ourSignedPreKey, chainKey: null),
            LastRemoteRatchetKey = ByteString.CopyFrom(message.BaseKey),
            BaseKey = ByteString.CopyFrom(message.BaseKey),
            BaseKeyIsOurs = false,
        };
    }

    private static void CheckBundle(PreKeyBundle bundle)
    {
        if (bundle.IdentityKey is not { Length: Curve25519.KeyLength }
            || bundle.SignedPreKey is not { Length: Curve25519.KeyLength }
            || bundle.PreKey is not (null or { Length: Curve25519.KeyLength })
            || bundle.PreKeyId.HasValue != bundle.PreKey is not null)
        {
            throw new SignalProtocolException(SignalError.InvalidKey, "The bundle's keys are malformed.");
        }

        if (bundle.SignedPreKeySignature is not { Length: Curve25519.SignatureLength }
            || !Curve25519.VerifySignature(bundle.IdentityKey, Curve25519.ToSignalPublicKey(bundle.SignedPreKey), bundle.SignedPreKeySignature))
        {
            throw new SignalProtocolException(SignalError.InvalidKey, "The signed prekey's signature does not verify.");
        }
    }
}
