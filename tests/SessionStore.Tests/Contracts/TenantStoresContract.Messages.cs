using Gateway.SessionStore.Abstractions;

namespace Gateway.SessionStore.Tests.Contracts;

public abstract partial class TenantStoresContract
{
    private static MessageRecord Outbound(string id, string? key = null, MessageStatus status = MessageStatus.Queued) => new()
    {
        Id = id,
        Direction = MessageDirection.Outbound,
        Chat = "4911@s.whatsapp.net",
        Status = status,
        CreatedAt = T0,
        UpdatedAt = T0,
        IdempotencyKey = key,
    };

    [Fact]
    public Task Messages_are_found_by_id_and_by_idempotency_key() => RunAsync(async stores =>
    {
        var record = Outbound("3EB0A", "key-1");
        await stores.Messages.PutAsync([record, Outbound("3EB0B")], None);

        Assert.Equal(record, await stores.Messages.GetByIdAsync("3EB0A", None));
        Assert.Equal(record, await stores.Messages.GetByIdempotencyKeyAsync("key-1", None));
        Assert.Null(await stores.Messages.GetByIdempotencyKeyAsync("key-2", None));
        Assert.Null(await stores.Messages.GetByIdAsync("3EB0C", None));
    });

    [Fact]
    public Task Messages_are_found_by_the_providers_id() => RunAsync(async stores =>
    {
        var record = Outbound("3EB0A") with { ProviderMessageId = "wamid.HBgL1" };
        await stores.Messages.PutAsync([record, Outbound("3EB0B")], None);

        Assert.Equal(record, await stores.Messages.GetByProviderMessageIdAsync("wamid.HBgL1", None));
        Assert.Null(await stores.Messages.GetByProviderMessageIdAsync("wamid.other", None));
    });

    [Fact]
    public Task An_idempotency_key_belongs_to_one_message_and_a_conflicting_batch_stores_nothing() => RunAsync(async stores =>
    {
        await stores.Messages.PutAsync([Outbound("3EB0A", "key-1")], None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => stores.Messages.PutAsync([Outbound("3EB0B"), Outbound("3EB0C", "key-1")], None));

        Assert.Null(await stores.Messages.GetByIdAsync("3EB0B", None));
        Assert.Equal("3EB0A", (await stores.Messages.GetByIdempotencyKeyAsync("key-1", None))?.Id);
        // The same message may be stored again with its own key.
        await stores.Messages.PutAsync([Outbound("3EB0A", "key-1", MessageStatus.Sent)], None);
        Assert.Equal(MessageStatus.Sent, (await stores.Messages.GetByIdAsync("3EB0A", None))?.Status);
    });

    [Fact]
    public Task Status_only_moves_forward_and_unknown_ids_are_ignored() => RunAsync(async stores =>
    {
        await stores.Messages.PutAsync([Outbound("m1"), Outbound("m2")], None);

        var changed = await stores.Messages.UpdateStatusAsync(
        [
            new("m1", MessageStatus.Read, T0.AddSeconds(5)),
            new("m1", MessageStatus.Delivered, T0.AddSeconds(6)), // late delivery receipt after read
            new("m2", MessageStatus.Sent, T0.AddSeconds(1)),
            new("m2", MessageStatus.Failed, T0.AddSeconds(2), "server-error-479"),
            new("nope", MessageStatus.Sent, T0),
        ], None);

        Assert.Equal(3, changed);
        var m1 = await stores.Messages.GetByIdAsync("m1", None);
        Assert.Equal((MessageStatus.Read, T0.AddSeconds(5)), (m1!.Status, m1.UpdatedAt));
        var m2 = await stores.Messages.GetByIdAsync("m2", None);
        Assert.Equal((MessageStatus.Failed, "server-error-479"), (m2!.Status, m2.FailureReason));
        Assert.Equal(0, await stores.Messages.UpdateStatusAsync([new("m2", MessageStatus.Delivered, T0)], None));
    });
}
