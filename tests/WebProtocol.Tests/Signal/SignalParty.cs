using System.Security.Cryptography;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.WebProtocol.Tests.Signal;

/// <summary>One device in a test: its stores, a cipher, a builder and a bundle factory.</summary>
internal sealed class SignalParty
{
    private readonly RandomNumberGenerator random;
    private uint nextPreKeyId = 1;
    private uint nextSignedPreKeyId = 1;

    public SignalParty(string name, RandomNumberGenerator random)
    {
        this.random = random;
        Address = new ProtocolAddress(name, 1);
        IdentityKeyPair = Curve25519.GenerateKeyPair(random);
        RegistrationId = KeyHelper.GenerateRegistrationId(random);
        Sessions = new InMemorySessionStore();
        PreKeys = new InMemoryPreKeyStore();
        SenderKeys = new InMemorySenderKeyStore();
        Stores = new SignalStores(
            new InMemoryIdentityKeyStore(IdentityKeyPair, RegistrationId), PreKeys, new InMemorySignedPreKeyStore(), Sessions, SenderKeys);
        Cipher = new SessionCipher(Stores, random);
        Builder = new SessionBuilder(Stores, random);
    }

    public ProtocolAddress Address { get; }

    public KeyPair IdentityKeyPair { get; }

    public uint RegistrationId { get; }

    public SignalStores Stores { get; }

    public InMemorySessionStore Sessions { get; }

    public InMemoryPreKeyStore PreKeys { get; }

    public InMemorySenderKeyStore SenderKeys { get; }

    public SessionCipher Cipher { get; }

    public SessionBuilder Builder { get; }

    public async Task<PreKeyBundle> CreateBundleAsync(bool withOneTimePreKey = true)
    {
        var signed = KeyHelper.GenerateSignedPreKey(IdentityKeyPair, nextSignedPreKeyId++, random, TimeProvider.System);
        await Stores.SignedPreKeys.StoreSignedPreKeyAsync(signed, default);
        PreKeyRecord? preKey = null;
        if (withOneTimePreKey)
        {
            preKey = KeyHelper.GeneratePreKeys(nextPreKeyId++, 1, random)[0];
            await PreKeys.StorePreKeysAsync([preKey], default);
        }

        return KeyHelper.CreateBundle(RegistrationId, IdentityKeyPair, signed, preKey);
    }

    public Task<CiphertextMessage> EncryptAsync(SignalParty to, byte[] plaintext) => Cipher.EncryptAsync(to.Address, plaintext, default);

    public Task<byte[]> DecryptAsync(SignalParty from, CiphertextMessage message) =>
        Cipher.DecryptAsync(from.Address, message.Type, message.Serialized, default);
}
