using Gateway.SessionStore;
using Gateway.SessionStore.Abstractions;
using Gateway.WebProtocol.Client.Stores;

/// <summary>
/// The sample state in the schema fixtures. A fixture of version N is made once, by the code of version N
/// (`dotnet run --project tests/SessionStore.CrashWriter -- fixture DIR v1`), and never regenerated;
/// SchemaFixtureTests checks that today's code reads every value written here.
/// </summary>
internal static class FixtureContent
{
    public static async Task WriteAsync(TenantStore store, CancellationToken cancellationToken)
    {
        static byte[] Bytes(int length, byte seed) => Enumerable.Range(0, length).Select(i => (byte)(seed + i)).ToArray();
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await store.Credentials.SaveAsync(new DeviceCredentials
        {
            NoisePrivateKey = Bytes(32, 1),
            NoisePublicKey = Bytes(32, 2),
            IdentityPrivateKey = Bytes(32, 3),
            IdentityPublicKey = Bytes(32, 4),
            RegistrationId = 12345,
            SignedPreKeyId = 7,
            SignedPreKeyPrivate = Bytes(32, 5),
            SignedPreKeyPublic = Bytes(32, 6),
            SignedPreKeySignature = Bytes(64, 7),
            AdvSecretKey = Bytes(32, 8),
            AccountIdentity = Bytes(100, 9),
            MePn = "4915100000001:3@s.whatsapp.net",
            MeLid = "100000000000001:3@lid",
            Platform = "android",
            PushName = "Fixture",
            NextPreKeyId = 813,
            FirstUnuploadedPreKeyId = 813,
            RoutingInfo = Bytes(8, 10),
            Registered = true,
        }, cancellationToken);
        await store.LidMap.StoreMappingsAsync([new LidPnMapping("100000000000002", "4915100000002")], cancellationToken);
        await store.DeviceLists.PutAsync([new DeviceListEntry("4915100000002@s.whatsapp.net", [0, 5], at)], cancellationToken);
        await store.Messages.PutAsync(
        [
            new MessageRecord { Id = "3EB0FIXTURE1", Direction = MessageDirection.Outbound, Chat = "4915100000002@s.whatsapp.net", Status = MessageStatus.Delivered, CreatedAt = at, UpdatedAt = at.AddSeconds(2), IdempotencyKey = "fixture-key-1" },
        ], cancellationToken);
        var sequences = await store.Outbox.AppendAsync(
        [
            new NewOutboxEvent("evt-fixture-1", "message.ack", "{\"status\":\"delivered\"}"u8.ToArray(), at),
            new NewOutboxEvent("evt-fixture-2", "message", "{}"u8.ToArray(), at.AddSeconds(1)),
        ], cancellationToken);
        await store.Outbox.MarkDeliveredAsync([sequences[0]], at.AddSeconds(3), 200, cancellationToken);
    }
}
