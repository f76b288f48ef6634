using Gateway.WebProtocol.Noise;
using Gateway.WebProtocol.Signal;

namespace Gateway.Emulator;

/// <summary>
/// The emulator's own trust chain: a root (what clients are configured to trust), an intermediate and the
/// Noise static key the leaf certifies. Generated per emulator instance.
/// </summary>
public sealed class ServerIdentity
{
    public ServerIdentity(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Root = Curve25519.GenerateKeyPair();
        var intermediate = Curve25519.GenerateKeyPair();
        StaticKey = Curve25519.GenerateKeyPair();
        var now = timeProvider.GetUtcNow();
        CertificateChain = NoiseCertificateFactory.CreateChain(
            Root, intermediate, StaticKey.PublicKey, now.AddDays(-1), now.AddDays(30));
    }

    public KeyPair Root { get; }

    public KeyPair StaticKey { get; }

    public byte[] CertificateChain { get; }

    public string RootPublicKeyHex => Convert.ToHexStringLower(Root.PublicKey);
}
