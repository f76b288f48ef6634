using System.Text;
using Gateway.WebProtocol.Signal.Storage;
using Google.Protobuf;

namespace Gateway.WebProtocol.Signal;

/// <summary>The symmetric chain of a sender key: seed = HMAC(chain, 1), next chain = HMAC(chain, 2).</summary>
internal static class SenderKeyChain
{
    public const int MaxSkippedMessageKeys = 2000;
    public const int MaxForwardJump = 2000;

    private static readonly byte[] WhisperGroup = Encoding.ASCII.GetBytes("WhisperGroup");

    public static SenderKeyStateStructure? Find(SenderKeyRecord record, uint keyId)
    {
        foreach (var state in record.Structure.States)
        {
            if (state.KeyId == keyId)
            {
                return state;
            }
        }

        return null;
    }

    /// <summary>The seed for the current iteration; advances the chain.</summary>
    public static byte[] Advance(SenderKeyStateStructure state)
    {
        var chain = state.ChainSeed.Span;
        var seed = SignalCrypto.NextMessageKeySeed(chain);
        state.ChainSeed = UnsafeByteOperations.UnsafeWrap(SignalCrypto.NextChainKey(chain));
        state.ChainIteration++;
        return seed;
    }

    /// <summary>The seed for <paramref name="iteration"/>, keeping the skipped ones (bounded).</summary>
    public static byte[] SeedFor(SenderKeyStateStructure state, uint iteration)
    {
        if (iteration < state.ChainIteration)
        {
            for (var i = 0; i < state.MessageKeys.Count; i++)
            {
                if (state.MessageKeys[i].Iteration == iteration)
                {
                    var seed = state.MessageKeys[i].Seed.ToByteArray();
                    state.MessageKeys.RemoveAt(i);
                    return seed;
                }
            }

            throw new SignalProtocolException(SignalError.DuplicateMessage, "Sender key message key already used.");
        }

        if ((long)iteration - state.ChainIteration > MaxForwardJump)
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, "Sender key message too far ahead.");
        }

        while (state.ChainIteration < iteration)
        {
            var skipped = state.ChainIteration;
            state.MessageKeys.Add(new SenderMessageKeyStructure { Iteration = skipped, Seed = UnsafeByteOperations.UnsafeWrap(Advance(state)) });
        }

        var excess = state.MessageKeys.Count - MaxSkippedMessageKeys;
        for (var i = 0; i < excess; i++)
        {
            state.MessageKeys.RemoveAt(0);
        }

        return Advance(state);
    }

    /// <summary>IV (16) and AES-256 key (32): HKDF(seed, zero salt, "WhisperGroup") bytes 0..48.</summary>
    public static void MessageKeys(ReadOnlySpan<byte> seed, Span<byte> ivAndKey48) =>
        SignalCrypto.Hkdf(seed, default, WhisperGroup, ivAndKey48);
}
