using Gateway.WebProtocol.Client.Stores;

namespace Gateway.SessionStore.Tests.Contracts;

public abstract partial class TenantStoresContract
{
    [Fact]
    public Task Credentials_round_trip_every_field_and_delete() => RunAsync(async stores =>
    {
        var full = SampleCredentials() with
        {
            AccountIdentity = Filled(90, 9),
            MePn = "4915100000001:2@s.whatsapp.net",
            MeLid = "100000000000001:2@lid",
            Platform = "smba",
            RoutingInfo = Filled(6, 3),
            Registered = true,
        };
        await stores.Credentials.SaveAsync(full, None);
        var loaded = await stores.Credentials.LoadAsync(None);

        Assert.NotNull(loaded);
        Assert.Equal(full.NoisePrivateKey, loaded.NoisePrivateKey);
        Assert.Equal(full.NoisePublicKey, loaded.NoisePublicKey);
        Assert.Equal(full.IdentityPrivateKey, loaded.IdentityPrivateKey);
        Assert.Equal(full.IdentityPublicKey, loaded.IdentityPublicKey);
        Assert.Equal(full.SignedPreKeySignature, loaded.SignedPreKeySignature);
        Assert.Equal(full.SignedPreKeyPrivate, loaded.SignedPreKeyPrivate);
        Assert.Equal(full.SignedPreKeyPublic, loaded.SignedPreKeyPublic);
        Assert.Equal(full.AdvSecretKey, loaded.AdvSecretKey);
        Assert.Equal(full.AccountIdentity, loaded.AccountIdentity);
        Assert.Equal(full.RoutingInfo, loaded.RoutingInfo);
        Assert.Equal((full.RegistrationId, full.SignedPreKeyId, full.NextPreKeyId, full.FirstUnuploadedPreKeyId), (loaded.RegistrationId, loaded.SignedPreKeyId, loaded.NextPreKeyId, loaded.FirstUnuploadedPreKeyId));
        Assert.Equal((full.MePn, full.MeLid, full.Platform, full.PushName, full.Registered), (loaded.MePn, loaded.MeLid, loaded.Platform, loaded.PushName, loaded.Registered));

        Assert.True(await stores.Credentials.DeleteAsync(None));
        Assert.Null(await stores.Credentials.LoadAsync(None));
        Assert.False(await stores.Credentials.DeleteAsync(None));
    });

    [Fact]
    public Task Credentials_save_replaces_the_previous_set() => RunAsync(async stores =>
    {
        await stores.Credentials.SaveAsync(SampleCredentials("second"), None);
        var loaded = await stores.Credentials.LoadAsync(None);
        Assert.Equal("second", loaded?.PushName);
        Assert.Null(loaded?.MePn);
    });

    [Fact]
    public Task Lid_map_answers_both_directions_and_leaves_unknown_users_out() => RunAsync(async stores =>
    {
        await stores.LidMap.StoreMappingsAsync([new("111", "4911"), new("222", "4922")], None);

        var lids = await stores.LidMap.GetLidsForPnsAsync(["4911", "4922", "4933"], None);
        var pns = await stores.LidMap.GetPnsForLidsAsync(["222", "999"], None);

        Assert.Equal(new Dictionary<string, string> { ["4911"] = "111", ["4922"] = "222" }, lids);
        Assert.Equal(new Dictionary<string, string> { ["222"] = "4922" }, pns);
    });

    [Fact]
    public Task Lid_map_stays_one_to_one_when_a_number_moves_to_a_new_lid() => RunAsync(async stores =>
    {
        await stores.LidMap.StoreMappingsAsync([new("111", "4911")], None);
        await stores.LidMap.StoreMappingsAsync([new("333", "4911")], None);

        Assert.Equal("333", (await stores.LidMap.GetLidsForPnsAsync(["4911"], None))["4911"]);
        Assert.Empty(await stores.LidMap.GetPnsForLidsAsync(["111"], None));
    });

    [Theory]
    [InlineData("111@lid", "4911")]
    [InlineData("111", "4911:3")]
    [InlineData("", "4911")]
    public Task Lid_map_refuses_anything_but_bare_users(string lid, string pn) => RunAsync(async stores =>
    {
        await Assert.ThrowsAsync<ArgumentException>(() => stores.LidMap.StoreMappingsAsync([new(lid, pn)], None));
        Assert.Empty(await stores.LidMap.GetPnsForLidsAsync(["111"], None));
    });

    [Fact]
    public Task Device_lists_are_replaced_per_user_and_removed() => RunAsync(async stores =>
    {
        await stores.DeviceLists.PutAsync([new("a@s.whatsapp.net", [0, 1], T0), new("b@lid", [0], T0)], None);
        await stores.DeviceLists.PutAsync([new("a@s.whatsapp.net", [0, 7, 9], T0.AddHours(1))], None);

        var got = await stores.DeviceLists.GetAsync(["a@s.whatsapp.net", "b@lid", "c@lid"], None);
        Assert.Equal(2, got.Count);
        Assert.Equal([0, 7, 9], got["a@s.whatsapp.net"].DeviceIds);
        Assert.Equal(T0.AddHours(1), got["a@s.whatsapp.net"].FetchedAt);
        Assert.Equal([0], got["b@lid"].DeviceIds);

        await stores.DeviceLists.RemoveAsync(["a@s.whatsapp.net"], None);
        Assert.Equal(["b@lid"], (await stores.DeviceLists.GetAsync(["a@s.whatsapp.net", "b@lid"], None)).Keys);
    });
}
