using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Client.Tests;

/// <summary>
/// An HTTP handler that trusts exactly the emulator's run-time CA for media: the server's chain must build
/// to that root (custom root trust, not the machine store) and the name must match.
/// </summary>
internal static class EmulatorMediaTrust
{
    public static SocketsHttpHandler Handler(string caCertificatePemPath)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caCertificatePemPath);
        var root = Assert.Single(roots);
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validate(root, certificate, errors),
            },
        };
    }

    private static bool Validate(X509Certificate2 root, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
