namespace Gateway.WebProtocol.Client;

/// <summary>Where a sent message stands; the order is meaningful (a later status never moves back).</summary>
public enum MessageStatus
{
    Failed = 0,
    Sent = 1,
    Delivered = 2,
    Read = 3,
}
