namespace Gateway.WebProtocol.Client;

/// <summary>A message the server acknowledged: its id and the server's time of it.</summary>
public sealed record SendResult(string MessageId, DateTimeOffset ServerTimestamp);

/// <summary>The server refused a sent message (an ack with an error code, such as 463 for a missing privacy token).</summary>
public sealed class MessageRejectedException(string messageId, int code)
    : Exception($"The server refused message {messageId} with error {code}.")
{
    public string MessageId { get; } = messageId;

    public int Code { get; } = code;
}
