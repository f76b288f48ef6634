using Gateway.SessionStore.Abstractions;
using Gateway.SessionStore.Storage;
using LiteDB;

namespace Gateway.SessionStore.Tests;

/// <summary>The per-thread parsed predicates the stores query with: right value, no sharing between threads.</summary>
public sealed class FieldEqualsTests : IDisposable
{
    private readonly TempSessions _sessions = new();

    public void Dispose() => _sessions.Dispose();

    [Fact]
    public void The_predicate_matches_the_value_it_was_given_last()
    {
        var byName = new FieldEquals("name");
        var doc = new BsonDocument { ["_id"] = 1, ["name"] = "b" };

        Assert.False(byName.For("a").ExecuteScalar(doc).AsBoolean);
        Assert.True(byName.For("b").ExecuteScalar(doc).AsBoolean);
        Assert.Equal("$.name=@0", byName.For("c").Source);
    }

    [Fact]
    public void Each_thread_gets_its_own_expression()
    {
        var byName = new FieldEquals("name");
        var here = byName.For("x");
        BsonExpression? there = null;
        var other = new Thread(() => there = byName.For("y"));
        other.Start();
        other.Join();

        Assert.NotSame(here, there);
        Assert.Same(here, byName.For("z"));
        Assert.Equal("z", here.Parameters["0"].AsString);
        Assert.Equal("y", there!.Parameters["0"].AsString);
    }

    [Fact]
    public async Task Concurrent_reads_by_idempotency_key_each_find_their_own_record()
    {
        using var store = TenantStore.Open(_sessions.PathName, "t");
        var at = DateTimeOffset.UnixEpoch;
        var records = Enumerable.Range(0, 200).Select(i => new MessageRecord
        {
            Id = $"m{i}",
            Direction = MessageDirection.Outbound,
            Chat = "1555@s.whatsapp.net",
            Status = MessageStatus.Queued,
            CreatedAt = at,
            UpdatedAt = at,
            IdempotencyKey = $"key-{i}",
        }).ToList();
        await store.Messages.PutAsync(records, CancellationToken.None);

        // Reads go straight to the file without the write gate: four threads query with the same predicate object.
        var found = await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var answers = new List<(string Expected, string? Found)>();
            for (var round = 0; round < 300; round++)
            {
                var i = (worker * 53 + round * 7) % records.Count;
                answers.Add(($"m{i}", (await store.Messages.GetByIdempotencyKeyAsync($"key-{i}", CancellationToken.None))?.Id));
            }
            return answers;
        })));

        Assert.All(found.SelectMany(a => a), answer => Assert.Equal(answer.Expected, answer.Found));
    }
}
