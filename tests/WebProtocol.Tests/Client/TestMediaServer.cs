using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.WebProtocol.Tests.Client;

/// <summary>
/// An HTTPS media host on 127.0.0.1 with a certificate from its own test CA; the client trusts exactly that CA
/// through <see cref="CreateHandler"/> (certificate checks stay on).
/// </summary>
internal sealed class TestMediaServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly X509Certificate2 authority;

    private TestMediaServer(WebApplication app, X509Certificate2 authority, string host)
    {
        this.app = app;
        this.authority = authority;
        Host = host;
    }

    /// <summary>host:port as media_conn names it.</summary>
    public string Host { get; }

    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    public ConcurrentQueue<string> UploadQueries { get; } = new();

    public static async Task<TestMediaServer> StartAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Gateway Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        var authority = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        using var leafPublic = leafRequest.Create(authority, now.AddDays(-1), now.AddDays(1), [1, 2, 3, 4]);
        var leaf = X509CertificateLoader.LoadPkcs12(leafPublic.CopyWithPrivateKey(leafKey).Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(leaf)));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestMediaServer? server = null;
        app.MapPost("/mms/{kind}/{token}", async (HttpContext context, string kind, string token) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            server!.UploadQueries.Enqueue(context.Request.QueryString.Value ?? "");
            var path = $"/d/{kind}/{Guid.NewGuid():N}";
            server.Files[path] = body.ToArray();
            return Results.Json(new Dictionary<string, string> { ["url"] = $"https://{server.Host}{path}", ["direct_path"] = path });
        });
        app.MapGet("/d/{kind}/{id}", (string kind, string id) =>
            server!.Files.TryGetValue($"/d/{kind}/{id}", out var bytes) ? Results.Bytes(bytes) : Results.NotFound());
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        server = new TestMediaServer(app, authority, $"127.0.0.1:{address.Port}");
        return server;
    }

    /// <summary>A handler that trusts this server's CA and nothing else.</summary>
    public HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions
        {
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { authority },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        },
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        authority.Dispose();
    }
}
