namespace Gateway.WebProtocol.Client;

/// <summary>The server answered an iq with an &lt;error code text&gt; child.</summary>
public sealed class IqException : Exception
{
    public IqException()
    {
    }

    public IqException(string message)
        : base(message)
    {
    }

    public IqException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public IqException(int code, string? text)
        : base($"the server refused the request: {code} {text}")
    {
        Code = code;
        Text = text;
    }

    public int Code { get; }

    public string? Text { get; }
}
