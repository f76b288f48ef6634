namespace Gateway.WebProtocol.Media;

/// <summary>Media failed a check (MAC, hash, padding) or the media host refused it.</summary>
public sealed class MediaException : Exception
{
    public MediaException()
    {
    }

    public MediaException(string message)
        : base(message)
    {
    }

    public MediaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
