using System.Net;
using Gateway.Emulator.Accounts;
using Gateway.Emulator.Admin;
using Gateway.Emulator.Connections;
using Gateway.Emulator.Media;
using Gateway.Emulator.Pairing;
using Gateway.Emulator.Stanzas;
using Gateway.WebProtocol.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Emulator;

/// <summary>
/// The WhatsApp server emulator in-process: WebSocket chat endpoint (any path) and admin API over HTTP,
/// media over HTTPS with a run-time CA, all on 127.0.0.1. Start with <see cref="StartAsync"/>.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TestCertificateAuthority authority;
    private readonly ConnectionAcceptor acceptor;
    private readonly string? ownedCertificateDirectory;

    private EmulatorServer(WebApplication app, TestCertificateAuthority authority, ConnectionAcceptor acceptor, ServerIdentity identity,
        EmulatorAdmin admin, MediaStore media, string? ownedCertificateDirectory)
    {
        this.app = app;
        this.authority = authority;
        this.acceptor = acceptor;
        this.ownedCertificateDirectory = ownedCertificateDirectory;
        Identity = identity;
        Admin = admin;
        Media = media;
    }

    /// <summary>ws://127.0.0.1:port/ws/chat (any path works).</summary>
    public Uri WebSocketUrl { get; private set; } = null!;

    /// <summary>http://127.0.0.1:port/admin (same port as the WebSocket).</summary>
    public Uri AdminUrl { get; private set; } = null!;

    /// <summary>host:port of the HTTPS media endpoint, as media_conn hands it out.</summary>
    public string MediaHost { get; private set; } = "";

    /// <summary>The root public key (hex) that clients must trust instead of WhatsApp's.</summary>
    public string RootPublicKeyHex => Identity.RootPublicKeyHex;

    /// <summary>PEM file of the CA that signed the media server's certificate.</summary>
    public string CaCertificatePath => authority.CertificatePath;

    public ServerIdentity Identity { get; }

    public EmulatorAdmin Admin { get; }

    public MediaStore Media { get; }

    public int OpenConnections => acceptor.OpenConnections;

    /// <summary>The environment that points a gateway (and Node) at this emulator.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["WHATSAPP_WS_URL"] = WebSocketUrl.ToString(),
        ["WHATSAPP_ROOT_KEY"] = RootPublicKeyHex,
        ["SSL_CERT_FILE"] = CaCertificatePath,
        ["NODE_EXTRA_CA_CERTS"] = CaCertificatePath,
    };

    public static async Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var ownedDirectory = options.CertificateDirectory is null
            ? Directory.CreateTempSubdirectory("gateway-emulator-").FullName
            : null;
        var authority = new TestCertificateAuthority(options.CertificateDirectory ?? ownedDirectory!, options.TimeProvider);
        var identity = new ServerIdentity(options.TimeProvider);
        var accounts = new AccountDirectory();
        var pairing = new PairingService(accounts, options);
        var media = new MediaStore();
        EmulatorServer? server = null;
        var iqs = new IqHandler(new PreKeyHandler(accounts), new UsyncHandler(accounts), pairing, () => server!.MediaHost);
        var acceptor = new ConnectionAcceptor(identity, accounts, pairing, iqs, new MessageRouter(accounts, options.TimeProvider), options);
        var admin = new EmulatorAdmin(accounts, pairing, () => acceptor.OpenConnections);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Listen(IPAddress.Loopback, options.MediaPort, listen => listen.UseHttps(authority.ServerCertificate));
        });
        var app = builder.Build();
        app.UseWebSockets();
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        app.Use(async (context, next) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await acceptor.RunAsync(new WebSocketTransport(socket), context.Abort, stopping).ConfigureAwait(false);
        });
        app.MapAdminApi(admin);
        media.Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        server = new EmulatorServer(app, authority, acceptor, identity, admin, media, ownedDirectory);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var http = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        var https = new Uri(addresses.First(a => a.StartsWith("https://", StringComparison.Ordinal)));
        server.WebSocketUrl = new Uri($"ws://127.0.0.1:{http.Port}/ws/chat");
        server.AdminUrl = new Uri($"http://127.0.0.1:{http.Port}/admin");
        server.MediaHost = $"127.0.0.1:{https.Port}";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        authority.Dispose();
        if (ownedCertificateDirectory is not null)
        {
            try
            {
                Directory.Delete(ownedCertificateDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A reader still holding the CA file must not fail disposal.
            }
        }
    }
}
