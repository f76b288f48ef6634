namespace Gateway.WebProtocol.Noise;

/// <summary>Why the frame layer rejected its input; stable codes for logs and metrics.</summary>
public enum FrameError
{
    /// <summary>A frame declares a payload longer than the configured maximum.</summary>
    FrameTooLarge = 1,

    /// <summary>The first bytes from a client are neither the <c>WA</c> intro nor an <c>ED</c> routing prefix.</summary>
    BadIntroHeader = 2,

    /// <summary>An <c>ED</c> routing prefix has an unknown version or a routing block over the limit.</summary>
    BadRoutingPrefix = 3,
}
