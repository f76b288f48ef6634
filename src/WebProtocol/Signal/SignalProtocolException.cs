namespace Gateway.WebProtocol.Signal;

/// <summary>The closed set of reasons a Signal operation refuses a message or a peer.</summary>
public enum SignalError
{
    /// <summary>The peer's identity key is not the one the identity store trusts.</summary>
    UntrustedIdentity,

    /// <summary>No session (or no sender key state) exists to encrypt or decrypt with.</summary>
    NoSession,

    /// <summary>The message is malformed, too far ahead in its chain, or does not decrypt.</summary>
    InvalidMessage,

    /// <summary>The message authentication code does not match.</summary>
    InvalidMac,

    /// <summary>The message key was already used: a duplicate delivery.</summary>
    DuplicateMessage,

    /// <summary>The message names a one-time or signed prekey we do not have.</summary>
    UnknownPreKey,

    /// <summary>The version byte is not 3.</summary>
    UnsupportedVersion,

    /// <summary>A key or signature in a bundle or distribution message is invalid.</summary>
    InvalidKey,
}

/// <summary>
/// A Signal operation failed for a protocol reason. The stored state is unchanged when this is thrown.
/// Messages never contain keys or plaintext.
/// </summary>
public sealed class SignalProtocolException : Exception
{
    public SignalProtocolException()
        : this(SignalError.InvalidMessage, "Signal protocol error.")
    {
    }

    public SignalProtocolException(string message)
        : this(SignalError.InvalidMessage, message)
    {
    }

    public SignalProtocolException(string message, Exception innerException)
        : this(SignalError.InvalidMessage, message, innerException)
    {
    }

    public SignalProtocolException(SignalError error, string message)
        : base(message)
    {
        Error = error;
    }

    public SignalProtocolException(SignalError error, string message, Exception innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    public SignalError Error { get; }
}
