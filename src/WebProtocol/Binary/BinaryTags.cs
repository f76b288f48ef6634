namespace Gateway.WebProtocol.Binary;

/// <summary>Tag bytes of the binary node format. Bytes 1..235 that are not listed index the single-byte tokens.</summary>
public static class BinaryTags
{
    public const byte ListEmpty = 0;
    public const byte Dictionary0 = 236;
    public const byte Dictionary1 = 237;
    public const byte Dictionary2 = 238;
    public const byte Dictionary3 = 239;
    public const byte InteropJid = 245;
    public const byte FbJid = 246;
    public const byte AdJid = 247;
    public const byte List8 = 248;
    public const byte List16 = 249;
    public const byte JidPair = 250;
    public const byte Hex8 = 251;
    public const byte Binary8 = 252;
    public const byte Binary20 = 253;
    public const byte Binary32 = 254;
    public const byte Nibble8 = 255;

    /// <summary>Longest string that goes out nibble- or hex-packed.</summary>
    public const int PackedMax = 127;
}
