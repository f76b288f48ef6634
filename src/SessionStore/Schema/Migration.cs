using LiteDB;

namespace Gateway.SessionStore.Schema;

/// <summary>
/// One numbered schema step. LiteDB cannot set its UserVersion inside a transaction, so a step commits its
/// changes and then the version: a crash in between runs the step again, which is why every step is idempotent.
/// </summary>
internal sealed record Migration(int Version, string Description, Action<LiteDatabase> Apply);
