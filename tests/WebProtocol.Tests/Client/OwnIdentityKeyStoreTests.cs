using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.WebProtocol.Tests.Client;

/// <summary>Our identity comes from the loaded credentials; remote identities still go to the store underneath.</summary>
public sealed class OwnIdentityKeyStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Our_key_pair_and_registration_id_are_answered_from_the_credentials_without_a_read()
    {
        var stored = new KeyPair(Bytes(1), Bytes(2));
        var inner = new CountingIdentities(new InMemoryIdentityKeyStore(stored, 7));
        var credentials = Credentials(publicKey: Bytes(3), privateKey: Bytes(4), registrationId: 42);
        var stores = OwnIdentityKeyStore.Over(SignalStores.InMemory(stored, 7) with { Identities = inner }, credentials);

        var own = await stores.Identities.GetIdentityKeyPairAsync(None);
        Assert.Equal(Bytes(3), own.PublicKey);
        Assert.Equal(Bytes(4), own.PrivateKey);
        Assert.Equal(42u, await stores.Identities.GetLocalRegistrationIdAsync(None));
        Assert.Equal(0, inner.Calls);

        // Wrapping twice does not stack.
        Assert.Same(stores, OwnIdentityKeyStore.Over(stores, credentials));

        var remote = new ProtocolAddress("15550001111", 1);
        Assert.Equal(IdentitySaveResult.NewOrUnchanged, await stores.Identities.SaveIdentityAsync(remote, Bytes(9), None));
        Assert.Equal(Bytes(9), await stores.Identities.GetIdentityAsync(remote, None));
        Assert.False(await stores.Identities.IsTrustedIdentityAsync(remote, Bytes(8), TrustDirection.Sending, None));
        Assert.Equal(3, inner.Calls);
    }

    private static byte[] Bytes(byte fill) => Enumerable.Repeat(fill, 32).ToArray();

    private static DeviceCredentials Credentials(byte[] publicKey, byte[] privateKey, int registrationId) => new()
    {
        NoisePrivateKey = Bytes(10),
        NoisePublicKey = Bytes(11),
        IdentityPrivateKey = privateKey,
        IdentityPublicKey = publicKey,
        RegistrationId = registrationId,
        SignedPreKeyId = 1,
        SignedPreKeyPrivate = Bytes(12),
        SignedPreKeyPublic = Bytes(13),
        SignedPreKeySignature = new byte[64],
        AdvSecretKey = Bytes(14),
    };

    private sealed class CountingIdentities(IIdentityKeyStore inner) : IIdentityKeyStore
    {
        public int Calls;

        public ValueTask<KeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return inner.GetIdentityKeyPairAsync(cancellationToken);
        }

        public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return inner.GetLocalRegistrationIdAsync(cancellationToken);
        }

        public ValueTask<byte[]?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken)
        {
            Calls++;
            return inner.GetIdentityAsync(address, cancellationToken);
        }

        public ValueTask<IdentitySaveResult> SaveIdentityAsync(ProtocolAddress address, byte[] identityKey, CancellationToken cancellationToken)
        {
            Calls++;
            return inner.SaveIdentityAsync(address, identityKey, cancellationToken);
        }

        public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, byte[] identityKey, TrustDirection direction, CancellationToken cancellationToken)
        {
            Calls++;
            return inner.IsTrustedIdentityAsync(address, identityKey, direction, cancellationToken);
        }
    }
}
