namespace Gateway.WebProtocol.Client;

/// <summary>The server's pairing answer failed a check (HMAC, account signature, missing field); nothing was stored.</summary>
public sealed class PairingException : Exception
{
    public PairingException()
    {
    }

    public PairingException(string message)
        : base(message)
    {
    }

    public PairingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
