namespace Gateway.SessionStore;

/// <summary>Anchors the assembly until the LiteDB stores land (issue: SessionStore on LiteDB).</summary>
internal static class AssemblyMarker;
