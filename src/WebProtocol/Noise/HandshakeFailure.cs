namespace Gateway.WebProtocol.Noise;

/// <summary>Why a Noise handshake was refused.</summary>
public enum HandshakeFailure
{
    /// <summary>A handshake message is not decodable or lacks a required part.</summary>
    MalformedMessage = 1,

    /// <summary>An AES-GCM tag did not verify: tampered message or a different key schedule.</summary>
    DecryptionFailed = 2,

    /// <summary>A peer key is of low order (the shared secret would be all zeros).</summary>
    InvalidPeerKey = 3,

    /// <summary>The certificate chain is not decodable or has wrong-sized keys or signatures.</summary>
    CertificateMalformed = 4,

    /// <summary>The intermediate certificate is not signed by the configured root key.</summary>
    UntrustedRoot = 5,

    /// <summary>The leaf certificate is not signed by the intermediate's key.</summary>
    LeafSignatureInvalid = 6,

    /// <summary>Serials do not chain: intermediate issuer is not the root, or leaf issuer is not the intermediate.</summary>
    CertificateMisChained = 7,

    /// <summary>The leaf certifies a different key than the server static key of this handshake.</summary>
    CertificateKeyMismatch = 8,

    /// <summary>A certificate's notAfter is in the past.</summary>
    CertificateExpired = 9,

    /// <summary>A certificate's notBefore is in the future.</summary>
    CertificateNotYetValid = 10,
}
