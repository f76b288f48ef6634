using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Emulator.Media;

/// <summary>
/// A CA made at run time and a loopback server certificate it signs, for the HTTPS media endpoint. Clients
/// trust the CA through its PEM file (Node: NODE_EXTRA_CA_CERTS; .NET on Linux: SSL_CERT_FILE).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    public TestCertificateAuthority(string directory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Gateway Emulator Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Authority = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var signed = leafRequest.Create(Authority, now.AddDays(-1), now.AddDays(29), serial);
        ServerCertificate = signed.CopyWithPrivateKey(leafKey);

        Directory.CreateDirectory(directory);
        CertificatePath = Path.Combine(directory, "emulator-ca.pem");
        File.WriteAllText(CertificatePath, Authority.ExportCertificatePem() + "\n");
    }

    public X509Certificate2 Authority { get; }

    /// <summary>The leaf for 127.0.0.1 and localhost, with its private key.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>The CA certificate as a PEM file.</summary>
    public string CertificatePath { get; }

    public void Dispose()
    {
        ServerCertificate.Dispose();
        Authority.Dispose();
    }
}
