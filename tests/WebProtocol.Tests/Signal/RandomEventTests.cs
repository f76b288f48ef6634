using Gateway.WebProtocol.Signal;

namespace Gateway.WebProtocol.Tests.Signal;

/// <summary>
/// Two parties, thousands of random sends, deliveries (in any order), drops and redeliveries. At most
/// <see cref="MaxInFlight"/> messages per direction are in flight (older ones are dropped), which keeps every
/// delivered message within the kept receiving chains, so each one must decrypt, exactly once.
/// </summary>
public class RandomEventTests
{
    private const int MaxInFlight = 4;

    [Theory]
    [InlineData(101, 3000)]
    [InlineData(202, 3000)]
    public async Task Random_sends_deliveries_reorderings_and_drops(int seed, int events)
    {
        var random = new SeededRandom(seed);
        var alice = new SignalParty("alice", random);
        var bob = new SignalParty("bob", random);
        await alice.Builder.ProcessBundleAsync(bob.Address, await bob.CreateBundleAsync(), default);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, [0]));

        var parties = new[] { alice, bob };
        var inFlight = new[] { new List<(CiphertextMessage Message, int Id)>(), new List<(CiphertextMessage Message, int Id)>() };
        var delivered = new[] { new List<CiphertextMessage>(), new List<CiphertextMessage>() };
        var nextId = 1;
        int sent = 0, decrypted = 0, dropped = 0, duplicatesRejected = 0;

        for (var step = 0; step < events; step++)
        {
            var from = random.Next(2);
            var to = 1 - from;
            var roll = random.Next(100);
            if (roll < 40)
            {
                var id = nextId++;
                inFlight[from].Add((await parties[from].EncryptAsync(parties[to], BitConverter.GetBytes(id)), id));
                sent++;
                if (inFlight[from].Count > MaxInFlight)
                {
                    inFlight[from].RemoveAt(0);
                    dropped++;
                }
            }
            else if (roll < 80 && inFlight[from].Count > 0)
            {
                var pick = random.Next(inFlight[from].Count);
                var (message, id) = inFlight[from][pick];
                inFlight[from].RemoveAt(pick);
                var plaintext = await parties[to].DecryptAsync(parties[from], message);
                Assert.Equal(id, BitConverter.ToInt32(plaintext));
                delivered[from].Add(message);
                decrypted++;
            }
            else if (roll < 90 && inFlight[from].Count > 0)
            {
                inFlight[from].RemoveAt(random.Next(inFlight[from].Count));
                dropped++;
            }
            else if (delivered[from].Count > 0)
            {
                var again = delivered[from][random.Next(delivered[from].Count)];
                var before = (await parties[to].Sessions.LoadSessionAsync(parties[from].Address, default))!.Serialize();
                await Assert.ThrowsAsync<SignalProtocolException>(() => parties[to].DecryptAsync(parties[from], again));
                Assert.Equal(before, (await parties[to].Sessions.LoadSessionAsync(parties[from].Address, default))!.Serialize());
                duplicatesRejected++;
            }

            foreach (var party in parties)
            {
                AssertBounded((await party.Sessions.LoadSessionAsync(parties[1 - Array.IndexOf(parties, party)].Address, default))!);
            }
        }

        Assert.True(sent > events / 4 && decrypted > events / 5 && dropped > 0 && duplicatesRejected > 0);
    }

    private static void AssertBounded(SessionRecord record)
    {
        var sessions = new[] { record.Structure.CurrentSession }.Concat(record.Structure.PreviousSessions);
        Assert.True(record.PreviousSessionCount <= SessionRecord.MaxPreviousSessions);
        foreach (var session in sessions)
        {
            Assert.True(session.ReceiverChains.Count <= SessionState.MaxReceiverChains);
            Assert.All(session.ReceiverChains, chain => Assert.True(chain.MessageKeys.Count <= SessionState.MaxSkippedMessageKeys));
        }
    }
}
