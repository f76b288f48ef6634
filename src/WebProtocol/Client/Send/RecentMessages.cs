using Gateway.WebProtocol.Proto;
using Gateway.WebProtocol.Types;

namespace Gateway.WebProtocol.Client.Send;

/// <summary>A bounded memory of sent messages, so a retry receipt can be answered with the same content.</summary>
internal sealed class RecentMessages(int capacity)
{
    private readonly Dictionary<string, (Jid Chat, Message Message)> byId = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();
    private readonly Lock gate = new();

    public void Add(string id, Jid chat, Message message)
    {
        lock (gate)
        {
            if (byId.TryAdd(id, (chat, message)))
            {
                order.Enqueue(id);
                while (order.Count > capacity && order.TryDequeue(out var oldest))
                {
                    byId.Remove(oldest);
                }
            }
        }
    }

    public bool TryGet(string id, out Jid chat, out Message message)
    {
        lock (gate)
        {
            if (byId.TryGetValue(id, out var entry))
            {
                (chat, message) = entry;
                return true;
            }
        }

        chat = default;
        message = null!;
        return false;
    }
}
