using Gateway.WebProtocol.Client.Stores;
using Gateway.WebProtocol.Signal;

namespace Gateway.SessionStore.Tests.Contracts;

/// <summary>
/// The behaviour every implementation of the store interfaces must have. Each concrete subclass runs all of it
/// against one implementation: in memory, SQLite committing each call, and SQLite inside one unit of work.
/// </summary>
public abstract partial class TenantStoresContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    protected static readonly CancellationToken None = CancellationToken.None;

    protected static KeyPair Identity { get; } = new(Filled(32, 0x11), Filled(32, 0x22));
    protected const uint RegistrationId = 4242;

    /// <summary>Runs a test body against fresh stores whose credentials hold <see cref="Identity"/>.</summary>
    protected abstract Task RunAsync(Func<ITenantStores, Task> test);

    protected static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    protected static DeviceCredentials SampleCredentials(string pushName = "Tenant") => new()
    {
        NoisePrivateKey = Filled(32, 1),
        NoisePublicKey = Filled(32, 2),
        IdentityPrivateKey = Identity.PrivateKey,
        IdentityPublicKey = Identity.PublicKey,
        RegistrationId = (int)RegistrationId,
        SignedPreKeyId = 1,
        SignedPreKeyPrivate = Filled(32, 5),
        SignedPreKeyPublic = Filled(32, 6),
        SignedPreKeySignature = Filled(64, 7),
        AdvSecretKey = Filled(32, 8),
        PushName = pushName,
        NextPreKeyId = 31,
        FirstUnuploadedPreKeyId = 1,
    };
}

public sealed class InMemoryStoresContractTests : TenantStoresContract
{
    protected override async Task RunAsync(Func<ITenantStores, Task> test)
    {
        var stores = new InMemoryTenantStores(Identity, RegistrationId);
        await stores.Credentials.SaveAsync(SampleCredentials(), None);
        await test(stores);
    }
}

public sealed class SqliteStoresContractTests : TenantStoresContract
{
    protected override async Task RunAsync(Func<ITenantStores, Task> test)
    {
        using var sessions = new TempSessions();
        using var store = TenantStore.Open(sessions.PathName, "contract");
        await store.Credentials.SaveAsync(SampleCredentials(), None);
        await test(store);
    }
}

/// <summary>The same contract with every call inside one unit of work: reads must see the unit's own writes.</summary>
public sealed class SqliteUnitOfWorkContractTests : TenantStoresContract
{
    protected override async Task RunAsync(Func<ITenantStores, Task> test)
    {
        using var sessions = new TempSessions();
        using var store = TenantStore.Open(sessions.PathName, "contract");
        await store.Credentials.SaveAsync(SampleCredentials(), None);
        await store.RunInTransactionAsync((stores, _) => test(stores), None);
    }
}
