using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Gateway.WebProtocol.Signal;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.Benchmarks;

/// <summary>
/// The Signal operations tests/Interop/signal/bench.mjs times for libsignal-node: one 100-byte message
/// encrypted and decrypted in an established session (stores hold serialised records, as a real store does),
/// and a session set up from a prekey bundle.
/// </summary>
[MemoryDiagnoser]
public class SignalBenchmarks
{
    private static readonly byte[] Plaintext = new byte[100];
    private readonly RandomNumberGenerator random = RandomNumberGenerator.Create();
    private SignalStores aliceStores = null!;
    private SignalStores bobStores = null!;
    private SessionCipher aliceCipher = null!;
    private SessionCipher bobCipher = null!;
    private SessionBuilder aliceBuilder = null!;
    private PreKeyBundle bobBundle = null!;
    private readonly ProtocolAddress alice = new("alice", 1);
    private readonly ProtocolAddress bob = new("bob", 1);

    [GlobalSetup]
    public async Task SetupAsync()
    {
        aliceStores = SignalStores.InMemory(Curve25519.GenerateKeyPair(random), KeyHelper.GenerateRegistrationId(random));
        var bobIdentity = Curve25519.GenerateKeyPair(random);
        var bobRegistrationId = KeyHelper.GenerateRegistrationId(random);
        bobStores = SignalStores.InMemory(bobIdentity, bobRegistrationId);
        var signed = KeyHelper.GenerateSignedPreKey(bobIdentity, 1, random, TimeProvider.System);
        var preKey = KeyHelper.GeneratePreKeys(1, 1, random)[0];
        await bobStores.SignedPreKeys.StoreSignedPreKeyAsync(signed, default);
        await bobStores.PreKeys.StorePreKeysAsync([preKey], default);
        bobBundle = KeyHelper.CreateBundle(bobRegistrationId, bobIdentity, signed, preKey);

        aliceCipher = new SessionCipher(aliceStores, random);
        bobCipher = new SessionCipher(bobStores, random);
        aliceBuilder = new SessionBuilder(aliceStores, random);
        await aliceBuilder.ProcessBundleAsync(bob, bobBundle, default);
        var first = await aliceCipher.EncryptAsync(bob, Plaintext, default);
        await bobCipher.DecryptAsync(alice, first.Type, first.Serialized, default);
        var reply = await bobCipher.EncryptAsync(alice, Plaintext, default);
        await aliceCipher.DecryptAsync(bob, reply.Type, reply.Serialized, default);
    }

    [Benchmark]
    public async Task<byte[]> EncryptDecrypt100Bytes()
    {
        var message = await aliceCipher.EncryptAsync(bob, Plaintext, default);
        return await bobCipher.DecryptAsync(alice, message.Type, message.Serialized, default);
    }

    private uint nextDevice;

    /// <summary>A fresh address each time, so no record accumulates closed sessions (bench.mjs does the same).</summary>
    [Benchmark]
    public Task SessionSetupFromBundle() => aliceBuilder.ProcessBundleAsync(new ProtocolAddress("carol", ++nextDevice), bobBundle, default);
}
