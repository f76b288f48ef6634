using System.Security.Cryptography;
using Gateway.WebProtocol.Signal.Storage;
using Google.Protobuf;

namespace Gateway.WebProtocol.Signal;

/// <summary>
/// The double ratchet on one session's state. Everything here mutates the structure it is given; callers
/// work on a clone and keep it only when the whole operation succeeds.
/// </summary>
internal static class SessionState
{
    /// <summary>Receiving chains kept per session; older ones are dropped with their skipped keys.</summary>
    public const int MaxReceiverChains = 5;

    /// <summary>Skipped message keys kept per chain, oldest dropped first.</summary>
    public const int MaxSkippedMessageKeys = 2000;

    /// <summary>How far ahead in one chain a message may be (libsignal's limit).</summary>
    public const int MaxForwardJump = 2000;

    public static byte[] NextSendingSeed(SessionStructure session, out uint counter)
    {
        var chainKey = session.SenderChain?.ChainKey;
        if (chainKey is null || chainKey.Key.IsEmpty)
        {
            throw new SignalProtocolException(SignalError.NoSession, "The session has no sending chain.");
        }

        counter = chainKey.Index;
        var key = chainKey.Key.Span;
        var seed = SignalCrypto.NextMessageKeySeed(key);
        chainKey.Key = UnsafeByteOperations.UnsafeWrap(SignalCrypto.NextChainKey(key));
        chainKey.Index++;
        return seed;
    }

    /// <summary>The message key seed for (ratchet key, counter), stepping the ratchet when the key is new.</summary>
    public static byte[] ReceivingSeed(
        SessionStructure session, byte[] theirRatchetKey, uint counter, uint previousCounter, RandomNumberGenerator random)
    {
        var chain = FindReceiverChain(session, theirRatchetKey) ?? StepRatchet(session, theirRatchetKey, previousCounter, random);
        var chainKey = chain.ChainKey;
        if (counter < chainKey.Index)
        {
            for (var i = 0; i < chain.MessageKeys.Count; i++)
            {
                if (chain.MessageKeys[i].Index == counter)
                {
                    var seed = chain.MessageKeys[i].Seed.ToByteArray();
                    chain.MessageKeys.RemoveAt(i);
                    return seed;
                }
            }

            throw new SignalProtocolException(SignalError.DuplicateMessage, "Message key already used.");
        }

        FillMessageKeys(chain, counter);
        return AdvanceChain(chainKey);
    }

    private static ReceiverChainStructure? FindReceiverChain(SessionStructure session, ReadOnlySpan<byte> ratchetKey)
    {
        foreach (var chain in session.ReceiverChains)
        {
            if (chain.SenderRatchetKey.Span.SequenceEqual(ratchetKey))
            {
                return chain;
            }
        }

        return null;
    }

    private static ReceiverChainStructure StepRatchet(
        SessionStructure session, byte[] theirRatchetKey, uint previousCounter, RandomNumberGenerator random)
    {
        var sender = session.SenderChain
            ?? throw new SignalProtocolException(SignalError.NoSession, "The session has no ratchet key.");
        var previous = FindReceiverChain(session, session.LastRemoteRatchetKey.Span);
        if (previous is not null && !previous.ChainKey.Key.IsEmpty)
        {
            // Keep the keys of messages still in flight on the old chain, then close it.
            if (previousCounter >= previous.ChainKey.Index)
            {
                FillMessageKeys(previous, previousCounter);
                previous.MessageKeys.Add(new MessageKeyStructure
                {
                    Index = previous.ChainKey.Index,
                    Seed = UnsafeByteOperations.UnsafeWrap(AdvanceChain(previous.ChainKey)),
                });
                TrimMessageKeys(previous);
            }

            previous.ChainKey.Key = ByteString.Empty;
        }

        var (rootKey, receivingChainKey) = RatchetKeys.Step(session.RootKey.Span, theirRatchetKey, sender.RatchetPrivateKey.Span);
        var receiving = new ReceiverChainStructure
        {
            SenderRatchetKey = UnsafeByteOperations.UnsafeWrap(theirRatchetKey),
            ChainKey = new ChainKeyStructure { Index = 0, Key = UnsafeByteOperations.UnsafeWrap(receivingChainKey) },
        };
        session.ReceiverChains.Add(receiving);
        while (session.ReceiverChains.Count > MaxReceiverChains)
        {
            session.ReceiverChains.RemoveAt(0);
        }

        if (sender.ChainKey is { } sent && !sent.Key.IsEmpty)
        {
            // libsignal sends the counter of the last message of the previous chain, not the count.
            session.PreviousCounter = sent.Index == 0 ? 0 : sent.Index - 1;
        }

        var ourNewRatchet = Curve25519.GenerateKeyPair(random);
        var (nextRootKey, sendingChainKey) = RatchetKeys.Step(rootKey, theirRatchetKey, ourNewRatchet.PrivateKey);
        session.SenderChain = NewSenderChain(ourNewRatchet, sendingChainKey);
        session.RootKey = UnsafeByteOperations.UnsafeWrap(nextRootKey);
        session.LastRemoteRatchetKey = UnsafeByteOperations.UnsafeWrap(theirRatchetKey);
        return receiving;
    }

    public static SenderChainStructure NewSenderChain(KeyPair ratchetKeyPair, byte[]? chainKey) => new()
    {
        RatchetPublicKey = UnsafeByteOperations.UnsafeWrap(ratchetKeyPair.PublicKey),
        RatchetPrivateKey = UnsafeByteOperations.UnsafeWrap(ratchetKeyPair.PrivateKey),
        ChainKey = chainKey is null ? null : new ChainKeyStructure { Index = 0, Key = UnsafeByteOperations.UnsafeWrap(chainKey) },
    };

    /// <summary>Stores the keys for indexes [chain index, target) so those messages can arrive later.</summary>
    private static void FillMessageKeys(ReceiverChainStructure chain, uint target)
    {
        var chainKey = chain.ChainKey;
        if (chainKey.Key.IsEmpty)
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, "The chain is closed.");
        }

        if ((long)target - chainKey.Index > MaxForwardJump)
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, "Message too far ahead in its chain.");
        }

        while (chainKey.Index < target)
        {
            var index = chainKey.Index;
            chain.MessageKeys.Add(new MessageKeyStructure { Index = index, Seed = UnsafeByteOperations.UnsafeWrap(AdvanceChain(chainKey)) });
        }

        TrimMessageKeys(chain);
    }

    private static void TrimMessageKeys(ReceiverChainStructure chain)
    {
        var excess = chain.MessageKeys.Count - MaxSkippedMessageKeys;
        for (var i = 0; i < excess; i++)
        {
            chain.MessageKeys.RemoveAt(0);
        }
    }

    private static byte[] AdvanceChain(ChainKeyStructure chainKey)
    {
        var key = chainKey.Key.Span;
        var seed = SignalCrypto.NextMessageKeySeed(key);
        chainKey.Key = UnsafeByteOperations.UnsafeWrap(SignalCrypto.NextChainKey(key));
        chainKey.Index++;
        return seed;
    }
}
