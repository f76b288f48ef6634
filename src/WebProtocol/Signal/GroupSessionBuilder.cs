using System.Security.Cryptography;
using Gateway.WebProtocol.Signal.Storage;
using Gateway.WebProtocol.Signal.Stores;
using Google.Protobuf;

namespace Gateway.WebProtocol.Signal;

/// <summary>Creates our own sender key for a group and takes in other members' distribution messages.</summary>
public sealed class GroupSessionBuilder(ISenderKeyStore store, RandomNumberGenerator random)
{
    private readonly ISenderKeyStore store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly RandomNumberGenerator random = random ?? throw new ArgumentNullException(nameof(random));

    /// <summary>
    /// The distribution message for our chain in a group (<paramref name="name"/> has our own address),
    /// creating the chain on first use.
    /// </summary>
    public async Task<SenderKeyDistributionMessage> CreateAsync(SenderKeyName name, CancellationToken cancellationToken)
    {
        var record = await store.LoadSenderKeyAsync(name, cancellationToken).ConfigureAwait(false) ?? new SenderKeyRecord();
        if (record.IsEmpty)
        {
            Span<byte> id = stackalloc byte[4];
            random.GetBytes(id);
            var chainKey = new byte[32];
            random.GetBytes(chainKey);
            var signing = Curve25519.GenerateKeyPair(random);
            record.Structure.States.Add(new SenderKeyStateStructure
            {
                KeyId = BitConverter.ToUInt32(id) & 0x7FFFFFFF,
                ChainIteration = 0,
                ChainSeed = UnsafeByteOperations.UnsafeWrap(chainKey),
                SigningKeyPublic = UnsafeByteOperations.UnsafeWrap(signing.PublicKey),
                SigningKeyPrivate = UnsafeByteOperations.UnsafeWrap(signing.PrivateKey),
            });
            await store.StoreSenderKeyAsync(name, record, cancellationToken).ConfigureAwait(false);
        }

        var state = record.Structure.States[^1];
        return SenderKeyDistributionMessage.Create(
            state.KeyId, state.ChainIteration, state.ChainSeed.ToByteArray(), state.SigningKeyPublic.ToByteArray());
    }

    /// <summary>
    /// Adds a member's chain. A key id we already hold is left as it is, so a replayed distribution
    /// message cannot rewind a chain.
    /// </summary>
    public async Task ProcessAsync(SenderKeyName name, SenderKeyDistributionMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var record = await store.LoadSenderKeyAsync(name, cancellationToken).ConfigureAwait(false) ?? new SenderKeyRecord();
        if (SenderKeyChain.Find(record, message.KeyId) is not null)
        {
            return;
        }

        record.Structure.States.Add(new SenderKeyStateStructure
        {
            KeyId = message.KeyId,
            ChainIteration = message.Iteration,
            ChainSeed = ByteString.CopyFrom(message.ChainKey),
            SigningKeyPublic = ByteString.CopyFrom(message.SigningKey),
        });
        while (record.Structure.States.Count > SenderKeyRecord.MaxStates)
        {
            record.Structure.States.RemoveAt(0);
        }

        await store.StoreSenderKeyAsync(name, record, cancellationToken).ConfigureAwait(false);
    }
}
