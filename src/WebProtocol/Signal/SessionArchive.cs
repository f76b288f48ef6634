using Gateway.WebProtocol.Signal.Storage;

namespace Gateway.WebProtocol.Signal;

/// <summary>The open session and the closed ones of a record.</summary>
internal static class SessionArchive
{
    /// <summary>Makes <paramref name="session"/> the open session, closing the current one (bounded history).</summary>
    public static void Promote(SessionRecord record, SessionStructure session)
    {
        var structure = record.Structure;
        if (structure.CurrentSession is { } current)
        {
            structure.PreviousSessions.Insert(0, current);
            while (structure.PreviousSessions.Count > SessionRecord.MaxPreviousSessions)
            {
                structure.PreviousSessions.RemoveAt(structure.PreviousSessions.Count - 1);
            }
        }

        structure.CurrentSession = session;
    }

    /// <summary>The session (open or closed) the peer started with <paramref name="baseKey"/>, as a slot index.</summary>
    public static int FindByTheirBaseKey(SessionRecord record, ReadOnlySpan<byte> baseKey)
    {
        var count = SlotCount(record);
        for (var slot = 0; slot < count; slot++)
        {
            var session = Get(record, slot);
            if (!session.BaseKeyIsOurs && session.BaseKey.Span.SequenceEqual(baseKey))
            {
                return slot;
            }
        }

        return -1;
    }

    /// <summary>Slot 0 is the open session (when there is one), then the closed ones, most recent first.</summary>
    public static int SlotCount(SessionRecord record) =>
        (record.Structure.CurrentSession is null ? 0 : 1) + record.Structure.PreviousSessions.Count;

    public static SessionStructure Get(SessionRecord record, int slot)
    {
        var structure = record.Structure;
        if (structure.CurrentSession is not null)
        {
            return slot == 0 ? structure.CurrentSession : structure.PreviousSessions[slot - 1];
        }

        return structure.PreviousSessions[slot];
    }

    public static void Set(SessionRecord record, int slot, SessionStructure session)
    {
        var structure = record.Structure;
        if (structure.CurrentSession is not null)
        {
            if (slot == 0)
            {
                structure.CurrentSession = session;
            }
            else
            {
                structure.PreviousSessions[slot - 1] = session;
            }

            return;
        }

        structure.PreviousSessions[slot] = session;
    }
}
