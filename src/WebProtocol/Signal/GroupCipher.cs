using System.Security.Cryptography;
using Gateway.WebProtocol.Signal.Stores;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// Encrypts to a group with our sender key and decrypts members' sender key messages. A failed decrypt
/// throws <see cref="SignalProtocolException"/> and stores nothing.
/// </summary>
public sealed class GroupCipher(ISenderKeyStore store)
{
    private readonly ISenderKeyStore store = store ?? throw new ArgumentNullException(nameof(store));

    public async Task<byte[]> EncryptAsync(SenderKeyName name, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        var record = await store.LoadSenderKeyAsync(name, cancellationToken).ConfigureAwait(false);
        if (record is null || record.IsEmpty)
        {
            throw new SignalProtocolException(SignalError.NoSession, "No sender key for this group.");
        }

        var state = record.Structure.States[^1];
        if (state.SigningKeyPrivate.IsEmpty)
        {
            throw new SignalProtocolException(SignalError.NoSession, "The sender key is not ours.");
        }

        var iteration = state.ChainIteration;
        var seed = SenderKeyChain.Advance(state);
        Span<byte> keys = stackalloc byte[48];
        SenderKeyChain.MessageKeys(seed, keys);
        var ciphertext = SignalCrypto.EncryptCbc(keys[16..], keys[..16], plaintext.Span);
        CryptographicOperations.ZeroMemory(keys);
        var message = SenderKeyMessage.Create(state.KeyId, iteration, ciphertext, state.SigningKeyPrivate.Span);
        await store.StoreSenderKeyAsync(name, record, cancellationToken).ConfigureAwait(false);
        return message.Serialized;
    }

    public async Task<byte[]> DecryptAsync(SenderKeyName name, ReadOnlyMemory<byte> ciphertext, CancellationToken cancellationToken)
    {
        SenderKeyMessage message;
        try
        {
            message = SenderKeyMessage.Parse(ciphertext.Span);
        }
        catch (WireFormatException e)
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, "The sender key message is malformed.", e);
        }

        var record = await store.LoadSenderKeyAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new SignalProtocolException(SignalError.NoSession, "No sender key for this sender.");
        var state = SenderKeyChain.Find(record, message.KeyId)
            ?? throw new SignalProtocolException(SignalError.NoSession, "No sender key state for this key id.");
        if (!message.VerifySignature(state.SigningKeyPublic.Span))
        {
            throw new SignalProtocolException(SignalError.InvalidMac, "The sender key message's signature does not verify.");
        }

        var seed = SenderKeyChain.SeedFor(state, message.Iteration);
        Span<byte> keys = stackalloc byte[48];
        SenderKeyChain.MessageKeys(seed, keys);
        var plaintext = SignalCrypto.DecryptCbc(keys[16..], keys[..16], message.Ciphertext);
        CryptographicOperations.ZeroMemory(keys);
        if (plaintext is null)
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, "The sender key message does not decrypt.");
        }

        await store.StoreSenderKeyAsync(name, record, cancellationToken).ConfigureAwait(false);
        return plaintext;
    }
}
