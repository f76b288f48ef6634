namespace Gateway.WebProtocol.Noise;

/// <summary>Decides whether the certificate chain in ServerHello vouches for the server's static key.</summary>
public interface IServerCertificateVerifier
{
    /// <summary>Returns normally when trusted.</summary>
    /// <param name="certificateChain">The decrypted ServerHello payload (an encoded CertChain).</param>
    /// <param name="serverStaticPublicKey">The server static key decrypted in the same handshake.</param>
    /// <exception cref="NoiseHandshakeException">The chain is malformed or not trusted.</exception>
    void Verify(ReadOnlySpan<byte> certificateChain, ReadOnlySpan<byte> serverStaticPublicKey);
}
