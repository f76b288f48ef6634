using System.Security.Cryptography;
using System.Text;

namespace Gateway.Sessions;

/// <summary>
/// Webhook event ids. An inbound message's id is derived from the sender and WhatsApp's message id, so a
/// message WhatsApp redelivers after a crash maps to the same event and the outbox keeps one.
/// </summary>
public static class EventIds
{
    public static string ForInboundMessage(string from, string messageId) =>
        "msg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(from + "\n" + messageId)), 0, 16);

    public static string ForStatus(string messageId, string status) =>
        "ack_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId + "\n" + status)), 0, 16);

    public static string New() => "evt_" + Guid.NewGuid().ToString("N");

    /// <summary>A message id in WhatsApp Web's own shape, so ids look alike whichever side made them.</summary>
    public static string NewMessageId() => "3EB0" + Convert.ToHexString(RandomNumberGenerator.GetBytes(9));
}
